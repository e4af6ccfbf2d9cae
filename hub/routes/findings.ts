// Findings of a tenant: filtered, sorted, cursor-paginated listings from the query index,
// facet counts, and one finding's detail with its signed history.
import * as Y from 'yjs'
import { FINDINGS, SEVERITIES, TRIAGE_STATUSES, addComment, commentsOf, findingsDoc, openEnvelope, setTriage, tenantDoc, triageOf, type TriageStatus } from '../../crdt/index.ts'
import { randomBytes } from 'node:crypto'
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { Hub, TenantState } from '../hub.ts'
import { FILTER_FIELDS, SORTS, type FilterField, type FindingQuery, type SortOrder } from '../index/findings-index.ts'

const ENUMS: Partial<Record<FilterField, readonly string[]>> = { severity: SEVERITIES, kind: ['vuln', 'secret', 'config'], status: ['open', 'resolved', 'suppressed'], triage: TRIAGE_STATUSES, kev: ['true'] }

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
  // Suppressed findings are hidden unless asked for (`status=suppressed`, or `suppressed=true`).
  if (params.suppressed !== undefined && !['true', 'false'].includes(params.suppressed)) apiError(400, 'bad-request', 'suppressed must be true or false')
  if (filters.status === undefined && params.suppressed === 'true') filters.status = 'suppressed'
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
    if (c.req.query('facets') === '1') return c.json({ findings: page.findings, next: page.next ?? null, counts: t.findings.counts() })
    page.body ??= Buffer.from(JSON.stringify({ findings: page.findings, next: page.next ?? null }))
    return c.body(page.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/json' })
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
    const triageDoc = await t.replica.log.doc(tenantDoc(t.tenant, 'triage'))
    const [enrichment] = await hub.enricher.enrich([row])
    const record = row.kind === 'vuln' ? await hub.hubDb.advisories.get(row.rule) : undefined
    const advisory = record ? { id: record.id, summary: record.summary, details: record.details, aliases: record.aliases, published: record.published, modified: record.modified, references: record.references } : null
    return c.json({
      finding: row, advisory, enrichment: enrichment ?? null, affected: related, history: await historyOf(t, row.agent, id),
      triage: triageDoc ? triageOf(triageDoc, id) ?? null : null, comments: triageDoc ? commentsOf(triageDoc, id) : [],
    })
  })

  const findingOf = async (t: TenantState, id: string) => {
    if (!/^[0-9a-f]{32}$/.test(id)) apiError(400, 'bad-request', 'a finding id is 32 hex digits')
    return (await t.findings.get(id)) ?? apiError(404, 'not-found', 'no such finding')
  }
  const userOf = (c: { get(k: 'principal'): { user?: string, via: string } | undefined }) => { const p = c.get('principal')!; return p.user ?? (p.via === 'operator-token' ? 'operator' : p.via) }

  routes.add('POST', '/tenants/:tenant/findings/:id/triage', { kind: 'tenant', role: 'analyst' }, 'triage a finding: acknowledged, false-positive, risk-accepted until a date with a reason, fixed, or open; an assignee', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const row = await findingOf(t, c.req.param('id')!)
    const body = await c.req.json().catch(() => undefined) as Record<string, unknown> | undefined
    if (!body || typeof body !== 'object') apiError(400, 'bad-request', 'a JSON body {status, until?, reason?, assignee?}')
    const status = body.status as TriageStatus
    if (!TRIAGE_STATUSES.includes(status)) apiError(400, 'bad-request', `status must be one of ${TRIAGE_STATUSES.join(', ')}`)
    const reason = body.reason === undefined ? undefined : String(body.reason)
    const assignee = body.assignee === undefined || body.assignee === null ? undefined : String(body.assignee)
    let until: number | undefined
    if (status === 'risk-accepted') {
      until = typeof body.until === 'string' ? Date.parse(body.until) : NaN
      if (!Number.isFinite(until) || until <= Date.now()) apiError(400, 'bad-request', 'risk-accepted needs until: a future date (ISO 8601)')
      if (!reason?.trim()) apiError(400, 'bad-request', 'risk-accepted needs a reason')
    }
    if ((reason?.length ?? 0) > 2000 || (assignee?.length ?? 0) > 200) apiError(400, 'bad-request', 'reason ≤ 2000 and assignee ≤ 200 characters')
    const triage = { status, until, reason, assignee, by: userOf(c), at: Date.now() }
    await t.writer.write('triage', (d) => { setTriage(d, row.id, triage) })
    await t.findings.setTriage(new Map([[row.id, status]]))
    return c.json({ finding: row.id, triage })
  })

  routes.add('POST', '/tenants/:tenant/findings/:id/comments', { kind: 'tenant', role: 'analyst' }, 'comment on a finding', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const row = await findingOf(t, c.req.param('id')!)
    const body = await c.req.json().catch(() => undefined) as { text?: unknown } | undefined
    const text = typeof body?.text === 'string' ? body.text.trim() : ''
    if (!text || text.length > 10_000) apiError(400, 'bad-request', 'text: 1 to 10,000 characters')
    const comment = { finding: row.id, by: userOf(c), at: Date.now(), text }
    await t.writer.write('triage', (d) => addComment(d, comment, randomBytes(6).toString('hex')))
    return c.json({ comment })
  })
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
