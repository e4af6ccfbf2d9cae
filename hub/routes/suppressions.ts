// A tenant's suppressions: VEX statements (not_affected with a justification, optional
// expiry) made through the API or imported from an OpenVEX document; listed, exported as
// OpenVEX, deleted. Each change is applied to the findings index before the answer (or
// within a couple of seconds on a very large tenant): suppressed findings leave the
// default listing, the counts, the trends and webhooks.
import { randomBytes } from 'node:crypto'
import { EnrichError, parseOpenVex, parseVexStatement, toOpenVex, VEX_JUSTIFICATIONS, AGENT_URN, FINDING_URN, EXPIRES_FIELD, type SuppressionStore, type VexStatement } from '../enrich/index.ts'
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { Hub, TenantState } from '../hub.ts'

/** Statements one tenant may hold: people write them, and every listing indexes them all. */
export const MAX_SUPPRESSIONS = 10_000
/** How long a change waits for the index before answering. */
const APPLY_WAIT_MS = 2_000

const isActive = (s: VexStatement, now: number) => s.status === 'not_affected' && (s.expires === undefined || Date.parse(s.expires) > now)

export function suppressionRoutes(routes: Routes, hub: Hub, tenantOf: (name: string) => TenantState): void {
  const storeOf = (tenant: string): SuppressionStore => hub.enrichment.suppressions(tenantOf(tenant).tenant) ?? apiError(404, 'unknown-tenant', 'no such tenant')
  const applied = async (tenant: string) => {
    await Promise.race([hub.enrichment.suppressionsChanged(tenant), new Promise((r) => setTimeout(r, APPLY_WAIT_MS).unref())])
  }
  const room = async (store: SuppressionStore, adding: number) => {
    if ((await store.list()).length + adding > MAX_SUPPRESSIONS) apiError(409, 'too-many', `at most ${MAX_SUPPRESSIONS} suppressions per tenant`)
  }
  const userOf = (c: { get(k: 'principal'): { user?: string, via: string } | undefined }) => { const p = c.get('principal')!; return p.user ?? (p.via === 'operator-token' ? 'operator' : p.via) }

  routes.add('GET', '/tenants/:tenant/suppressions', { kind: 'tenant', role: 'viewer' }, 'VEX suppressions of a tenant, with whether each applies now', async (c) => {
    const now = Date.now()
    const list = await storeOf(c.req.param('tenant')!).list()
    return c.json({ suppressions: list.map((s) => ({ ...s, active: isActive(s, now) })) })
  })

  routes.add('GET', '/tenants/:tenant/suppressions/openvex', { kind: 'tenant', role: 'viewer' }, 'the suppressions as an OpenVEX document', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const list = await storeOf(t.tenant).list()
    return c.json(toOpenVex(list, { id: `urn:zerotrace:vex:${t.tenant}`, author: `ZeroTrace hub (${t.tenant})`, timestamp: new Date().toISOString() }))
  })

  routes.add('POST', '/tenants/:tenant/suppressions', { kind: 'tenant', role: 'analyst' },
    'suppress findings: {vulnerability, aliases?, justification | impactStatement, products? (purls or ids), agent?, finding?, expires?}', async (c) => {
      const tenant = c.req.param('tenant')!
      const store = storeOf(tenant)
      const body = await c.req.json().catch(() => undefined) as Record<string, unknown> | undefined
      if (!body || typeof body !== 'object' || Array.isArray(body)) apiError(400, 'bad-request', 'a JSON body {vulnerability, justification, …}')
      if (body.justification !== undefined && !VEX_JUSTIFICATIONS.includes(body.justification as never)) apiError(400, 'bad-request', `justification must be one of ${VEX_JUSTIFICATIONS.join(', ')}`)
      const products: unknown[] = []
      if (body.products !== undefined) {
        if (!Array.isArray(body.products) || body.products.length > 100) apiError(400, 'bad-request', 'products: a list of at most 100 purls or product ids')
        for (const p of body.products as unknown[]) products.push(typeof p === 'string' ? (p.startsWith('pkg:') ? { '@id': p, identifiers: { purl: p } } : { '@id': p }) : p)
      }
      if (body.agent !== undefined) products.push({ '@id': AGENT_URN + String(body.agent) })
      if (body.finding !== undefined) {
        if (typeof body.finding !== 'string' || !/^[0-9a-f]{32}$/.test(body.finding)) apiError(400, 'bad-request', 'finding: a finding id (32 hex digits)')
        products.push({ '@id': FINDING_URN + body.finding })
      }
      if (body.expires !== undefined && (typeof body.expires !== 'string' || !(Date.parse(body.expires) > Date.now()))) apiError(400, 'bad-request', 'expires: a future time (RFC 3339)')
      const raw = {
        '@id': `zt-suppression-${randomBytes(8).toString('hex')}`,
        vulnerability: { name: body.vulnerability, ...(Array.isArray(body.aliases) ? { aliases: body.aliases } : {}) },
        status: 'not_affected', justification: body.justification, impact_statement: body.impactStatement, status_notes: body.notes,
        products, timestamp: new Date().toISOString(), ...(body.expires !== undefined ? { [EXPIRES_FIELD]: new Date(Date.parse(body.expires as string)).toISOString() } : {}),
      }
      let statement: VexStatement
      try {
        statement = parseVexStatement(raw, 'suppression', { author: userOf(c) })
      } catch (err) {
        apiError(400, 'bad-request', (err as Error).message)
      }
      if (JSON.stringify(statement!).length > 64 * 1024) apiError(400, 'bad-request', 'a suppression is at most 64 KiB')
      await room(store, 1)
      await store.put([statement!])
      await applied(tenant)
      return c.json({ suppression: statement! }, 201 as never)
    })

  routes.add('POST', '/tenants/:tenant/suppressions/openvex', { kind: 'tenant', role: 'analyst' }, 'import an OpenVEX document: its statements are stored (by @id) and applied', async (c) => {
    const tenant = c.req.param('tenant')!
    const store = storeOf(tenant)
    let parsed
    try {
      parsed = parseOpenVex(await c.req.text())
    } catch (err) {
      if (err instanceof EnrichError) apiError(400, err.code, err.message)
      throw err
    }
    await room(store, parsed.statements.length)
    const stored = await store.put(parsed.statements)
    await applied(tenant)
    return c.json({ ...stored, errors: parsed.errors })
  })

  routes.add('DELETE', '/tenants/:tenant/suppressions/:id', { kind: 'tenant', role: 'analyst' }, 'delete a suppression: the findings it covered are listed again', async (c) => {
    const tenant = c.req.param('tenant')!
    const id = c.req.param('id')!
    if (!(await storeOf(tenant).delete(id))) apiError(404, 'not-found', 'no such suppression')
    await applied(tenant)
    return c.json({ deleted: id })
  })
}
