// Findings of a tenant: filtered, sorted, cursor-paginated listings from the query index,
// facet counts, and one finding's detail with its signed history.
import * as Y from 'yjs'
import { FINDINGS, SEVERITIES, findingsDoc, openEnvelope } from '../../crdt/index.ts'
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { Hub, TenantState } from '../hub.ts'
import { FILTER_FIELDS, SORTS, type FilterField, type FindingQuery, type SortOrder } from '../index/findings-index.ts'

const ENUMS: Partial<Record<FilterField, readonly string[]>> = { severity: SEVERITIES, kind: ['vuln', 'secret', 'config'], status: ['open', 'resolved'] }

/** The query from URL parameters, each checked; a bad one is a 400 naming it. */
export function parseFindingQuery(params: Record<string, string | undefined>): FindingQuery {
  const filters: FindingQuery['filters'] = {}
  for (const field of FILTER_FIELDS) {
    const v = params[field]
    if (v === undefined || v === '') continue
    if (v.length > 256) apiError(400, 'bad-request', `${field}: at most 256 characters`)
    if (ENUMS[field] && !ENUMS[field]!.includes(v) && !(field === 'status' && v === 'all')) apiError(400, 'bad-request', `${field} must be one of ${ENUMS[field]!.join(', ')}${field === 'status' ? ', all' : ''}`)
    filters[field] = v
  }
  if (filters.status === undefined) filters.status = 'open'
  if (filters.status === 'all') delete filters.status
  const sort = params.sort ?? 'risk'
  if (!(SORTS as readonly string[]).includes(sort)) apiError(400, 'bad-request', `sort must be one of ${SORTS.join(', ')}`)
  const limitText = params.limit ?? '50'
  if (!/^\d{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 500) apiError(400, 'bad-request', 'limit must be 1 to 500')
  if (params.q !== undefined && params.q.length > 200) apiError(400, 'bad-request', 'q: at most 200 characters')
  if (params.cursor !== undefined && !/^[A-Za-z0-9_-]{1,2048}$/.test(params.cursor)) apiError(400, 'bad-request', 'cursor is not one this API returned')
  return { filters, q: params.q || undefined, sort: sort as SortOrder, limit: Number(limitText), cursor: params.cursor }
}

export function findingRoutes(routes: Routes, hub: Hub, tenantOf: (name: string) => TenantState): void {
  routes.add('GET', '/tenants/:tenant/findings', { kind: 'tenant', role: 'viewer' }, 'findings: filters, sort, cursor pagination, facet counts', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const query = parseFindingQuery(c.req.query())
    let page
    try { page = await t.findings.query(query) } catch (err) { if (err instanceof RangeError) apiError(400, 'bad-request', err.message); throw err }
    return c.json({ findings: page.findings, next: page.next ?? null, ...(c.req.query('facets') === '1' ? { counts: t.findings.counts() } : {}) })
  })

  routes.add('GET', '/tenants/:tenant/findings/:id', { kind: 'tenant', role: 'viewer' }, 'one finding: its fields, the agents and paths with the same problem, its signed history', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const id = c.req.param('id')!
    if (!/^[0-9a-f]{32}$/.test(id)) apiError(400, 'bad-request', 'a finding id is 32 hex digits')
    const row = await t.findings.get(id)
    if (!row) apiError(404, 'not-found', 'no such finding')
    const related = row.kind === 'vuln'
      ? (await t.findings.query({ filters: { rule: row.rule, status: undefined }, limit: 500 })).findings.filter((f) => f.package === row.package).map((f) => ({ id: f.id, agent: f.agent, path: f.path, version: f.version, status: f.status }))
      : []
    return c.json({ finding: row, affected: related, history: await historyOf(t, row.agent, id) })
  })
  void hub
}

/** The envelopes of the agent's findings doc that touched this finding: who signed what, when. */
async function historyOf(t: TenantState, agent: string, id: string): Promise<{ seq: number, author: string, ts: number, kind: string, change: 'set' }[]> {
  const out: { seq: number, author: string, ts: number, kind: string, change: 'set' }[] = []
  const doc = findingsDoc(agent)
  const replay = new Y.Doc()
  const map = replay.getMap(FINDINGS)
  let before: unknown
  for await (const bytes of t.replica.log.read(doc, agent)) {
    const env = openEnvelope(bytes)
    Y.applyUpdate(replay, env.payload)
    const now = map.get(id)
    if (JSON.stringify(now) !== JSON.stringify(before)) out.push({ seq: env.seq, author: env.author, ts: env.ts, kind: env.kind, change: 'set' })
    before = now
    if (out.length >= 100) break
  }
  replay.destroy()
  return out
}
