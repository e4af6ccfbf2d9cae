// Agents of a tenant: the list, one agent with its inventory, and revocation through the
// tenant root key the hub holds (a new revocation list, written to the home and handed to
// every peer of the tenant at once).
import { PACKAGES as INVENTORY_MAP, inventoryDoc } from '../../crdt/index.ts'
import { createRevocationList, listIssued, readRevocationList, writeRevocationList } from '../../keys/index.ts'
import type { Package } from '../../protocol/index.ts'
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { Hub, TenantState } from '../hub.ts'
import { hubAgents } from '../queries.ts'

const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{40,60}$/

export function agentRoutes(routes: Routes, hub: Hub, home: string, tenantOf: (name: string) => TenantState): void {
  const agentOf = async (t: TenantState, id: string) => {
    if (!PEER_ID.test(id)) apiError(400, 'bad-request', 'an agent id is a PeerId')
    const agent = (await hubAgents(t.replica, hub.store, hub.online(t.tenant))).find((a) => a.id === id)
    return agent ?? apiError(404, 'not-found', 'no such agent')
  }

  routes.add('GET', '/tenants/:tenant/agents', { kind: 'tenant', role: 'viewer' }, 'agents: online, last seen, last scan, certificate expiry, revoked', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    return c.json({ agents: await hubAgents(t.replica, hub.store, hub.online(t.tenant)) })
  })

  routes.add('GET', '/tenants/:tenant/agents/:id', { kind: 'tenant', role: 'viewer' }, 'one agent, with its inventory size per ecosystem', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const agent = await agentOf(t, c.req.param('id')!)
    const doc = await t.replica.log.doc(inventoryDoc(agent.id))
    const ecosystems: Record<string, number> = {}
    if (doc) for (const p of doc.getMap<Package>(INVENTORY_MAP).values()) ecosystems[p.ecosystem] = (ecosystems[p.ecosystem] ?? 0) + 1
    return c.json({ agent, inventory: { packages: Object.values(ecosystems).reduce((a, b) => a + b, 0), ecosystems } })
  })

  routes.add('GET', '/tenants/:tenant/agents/:id/inventory', { kind: 'tenant', role: 'viewer' }, 'an agent\'s packages, by ecosystem and name, in pages', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const agent = await agentOf(t, c.req.param('id')!)
    const limit = Number(c.req.query('limit') ?? '100')
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) apiError(400, 'bad-request', 'limit must be 1 to 1000')
    const after = c.req.query('cursor') ? Buffer.from(c.req.query('cursor')!, 'base64url').toString('utf8') : ''
    const doc = await t.replica.log.doc(inventoryDoc(agent.id))
    const keys = doc ? [...doc.getMap<Package>(INVENTORY_MAP).keys()].filter((k) => k > after).sort() : []
    const page = keys.slice(0, limit)
    const packages = page.map((k) => doc!.getMap<Package>(INVENTORY_MAP).get(k)!)
    return c.json({ packages, next: keys.length > limit ? Buffer.from(page.at(-1)!, 'utf8').toString('base64url') : null })
  })

  routes.add('POST', '/tenants/:tenant/agents/:id/revoke', { kind: 'tenant', role: 'admin' }, 'revoke an agent: a new revocation list signed by the tenant root', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const id = c.req.param('id')!
    if (!PEER_ID.test(id)) apiError(400, 'bad-request', 'an agent id is a PeerId')
    const body = await c.req.json().catch(() => undefined) as { reason?: unknown } | undefined
    const reason = typeof body?.reason === 'string' ? body.reason.trim() : ''
    if (!reason || reason.length > 1024) apiError(400, 'bad-request', 'reason: 1 to 1024 characters')
    if (t.replica.isRevoked(id)) apiError(409, 'already-revoked', 'the agent is revoked already')
    // An agent the hub has met, or one its tenant root signed that never connected (signed on the keys page, then lost).
    const cert = t.replica.certificateOf(id)?.body ?? (await listIssued(home, t.tenant)).filter((x) => x.body.subject === id).at(-1)?.body
    if (!cert && !(await hubAgents(t.replica, hub.store, hub.online(t.tenant))).some((a) => a.id === id)) apiError(404, 'not-found', 'no such agent')
    const previous = await readRevocationList(home, t.tenant)
    const list = createRevocationList(t.root, previous, [{ serial: cert?.serial ?? 0, subject: id, revokedAt: Date.now(), reason }])
    await writeRevocationList(home, t.tenant, list)
    await t.replica.adoptRevocationList(list.bytes)
    return c.json({ revoked: id, revocationList: list.body.version })
  })
}
