// A tenant at a glance: the tenants a caller may see, counts by facet, agents online and
// stale, daily trends, and each agent's last scan.
import { SCAN, findingsDoc, type ScanSummary } from '../../crdt/index.ts'
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { Hub, TenantState } from '../hub.ts'
import { hubAgents } from '../queries.ts'

/** An agent not heard from for this long is stale. */
export const STALE_MS = 24 * 3_600_000

export function overviewRoutes(routes: Routes, hub: Hub, tenantOf: (name: string) => TenantState): void {
  routes.add('GET', '/tenants', { kind: 'authenticated' }, 'the tenants the caller may see, with open findings per severity', async (c) => {
    const p = c.get('principal')!
    const visible = [...hub.tenants.values()].filter((t) => p.operator || p.roles[t.tenant])
    return c.json({ tenants: visible.map((t) => ({ tenant: t.tenant, role: p.operator ? 'operator' : p.roles[t.tenant], open: t.findings.counts().severity })) })
  })

  routes.add('GET', '/tenants/:tenant/summary', { kind: 'tenant', role: 'viewer' }, 'open findings by facet; agents online, offline and stale', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const agents = await hubAgents(t.replica, hub.store, hub.online(t.tenant))
    const now = Date.now()
    const live = agents.filter((a) => !a.revoked)
    return c.json({
      counts: t.findings.counts(),
      agents: {
        total: live.length, online: live.filter((a) => a.online).length,
        stale: live.filter((a) => !a.online && (!a.lastSeen || now - Date.parse(a.lastSeen) > STALE_MS)).length,
        revoked: agents.length - live.length,
      },
    })
  })

  routes.add('GET', '/tenants/:tenant/trends', { kind: 'tenant', role: 'viewer' }, 'open findings per severity at the end of each day (days=1..366, default 30)', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const days = Number(c.req.query('days') ?? '30')
    if (!Number.isInteger(days) || days < 1 || days > 366) apiError(400, 'bad-request', 'days must be 1 to 366')
    const to = new Date().toISOString().slice(0, 10)
    const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10)
    return c.json({ days: await t.findings.trend(from, to) })
  })

  routes.add('GET', '/tenants/:tenant/scans', { kind: 'tenant', role: 'viewer' }, 'each agent\'s last scan', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const out = []
    for (const a of await hubAgents(t.replica, hub.store, hub.online(t.tenant))) {
      const doc = await t.replica.log.doc(findingsDoc(a.id))
      const last = doc?.getMap<ScanSummary>(SCAN).get('last')
      if (last) out.push({ agent: a.id, name: a.name, at: new Date(last.at).toISOString(), findings: last.findings, packages: last.packages, durationMs: last.durationMs })
    }
    return c.json({ scans: out.sort((x, y) => y.at.localeCompare(x.at)) })
  })
}
