// Enrichment wired into a running hub (real home, LevelDB, libp2p agent, HTTP): advisories
// imported through the API re-match stored inventories into hub-found findings under the
// agent's fingerprints; the listing, counts, webhooks and reports see them; EPSS/KEV re-score
// rows; VEX suppressions hide findings and expire; a DB changed while the hub was stopped
// is re-matched at start.
import { describe, it, expect, afterAll, beforeAll } from 'vitest'
import { createServer, type Server } from 'node:http'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTenantRoot, openTenantRoot } from '../keys/index.ts'
import { fingerprint, matchedFindings, type Finding } from '../crdt/index.ts'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { startHub, type Hub } from './hub.ts'
import { hubDbDir, importIntoHubDb } from './enrich/index.ts'
import { testAgent, type TestAgent } from './hub.test-data.ts'

function withToken(t: string) {
  return class extends WebSocket { constructor(url: string, protocols?: string | string[]) { super(url, protocols, { headers: { authorization: `Bearer ${t}` } }) } }
}

const PASS = 'hub-enrich-test-passphrase'
let home: string
let hub: Hub
let token: string
let agent: TestAgent
let receiver: Server
const received: { event: string, data: { findings?: { id: string }[] } }[] = []

const osv = (id: string, name: string, fixed: string, extra: Record<string, unknown> = {}) => ({
  schema_version: '1.6.0', id, modified: extra.modified ?? '2026-01-01T00:00:00Z', published: '2026-01-01T00:00:00Z', summary: `${name} is vulnerable`,
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N' }],
  affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }],
  ...extra,
})
const INVENTORY = [
  { ecosystem: 'npm', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20', source: 'web/package-lock.json' },
  { ecosystem: 'npm', name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0', source: 'web/package-lock.json' },
  { ecosystem: 'npm', name: 'minimist', version: '0.0.8', purl: 'pkg:npm/minimist@0.0.8', source: 'web/package-lock.json' },
  { ecosystem: 'npm', name: 'express', version: '4.0.0', purl: 'pkg:npm/express@4.0.0', source: 'api/package-lock.json' },
]
const idOf = (rule: string, pkg: string, version: string, path: string) => fingerprint({ agent: agent.peerId, kind: 'vuln', rule, subject: `${pkg}@${version}`, path })

type Row = Finding & { agent: string, status: string, source?: string, risk: number, kev?: true, suppressed?: { justification?: string } }
const api = async (path: string, init: { method?: string, body?: unknown, raw?: string } = {}) => {
  const res = await fetch(hub.url + '/api/v1' + path, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : init.raw !== undefined ? { body: init.raw } : {}),
  })
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text()) as Record<string, unknown> & string }
}
const list = async (query = '') => (await api(`/tenants/acme/findings${query}`)).body.findings as Row[]
const until = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> => {
  for (let i = 0; i < 200; i++) {
    const v = await fn()
    if (ok(v)) return v
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}
const start = () => startHub({ home, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, webhookRetryMs: 50 })

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-hub-enrich-'))
  await createTenantRoot(home, 'acme', PASS)
  await createTenantRoot(home, 'globex', PASS)
  hub = await start()
  token = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => { body += c })
    req.on('end', () => { received.push(JSON.parse(body)); res.end('ok') })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()))
  const port = (receiver.address() as { port: number }).port
  expect((await api('/tenants/acme/webhooks', { body: { url: `http://127.0.0.1:${port}/hook`, events: ['finding.new'], minSeverity: 'low' } })).status).toBe(201)
  agent = await testAgent(await openTenantRoot(home, 'acme', PASS), 'build-07', 700)
  await agent.writeInventory(INVENTORY)
  agent.peer.connect(hub.multiaddrs()[0]!)
  await until(async () => (await hub.tenants.get('acme')!.replica.log.haveVector())[`inventory/${agent.peerId}`], (v) => v !== undefined, 'the inventory at the hub')
}, 60_000)

afterAll(async () => {
  await agent?.close()
  await hub?.stop()
  receiver?.close()
  await rm(home, { recursive: true, force: true })
})

describe('enrichment in a running hub', () => {
  it('re-matches stored inventories when advisories are imported through the API, as hub-found findings under the agent\'s fingerprints', async () => {
    const records = [osv('GHSA-lodash-0001', 'lodash', '4.17.21', { aliases: ['CVE-2099-1001'] }), osv('GHSA-leftpad-0001', 'left-pad', '1.1.0', { aliases: ['CVE-2099-1002'] })]
    const res = await api('/advisories', { raw: records.map((r) => JSON.stringify(r)).join('\n') })
    expect(res.status).toBe(200)
    await hub.enrichment.idle()
    const rows = await until(() => list(), (r) => r.length === 2, 'two hub-found findings')
    const lodash = idOf('GHSA-lodash-0001', 'lodash', '4.17.20', 'web/package-lock.json')
    const leftpad = idOf('GHSA-leftpad-0001', 'left-pad', '1.0.0', 'web/package-lock.json')
    expect(rows.map((r) => r.id).sort()).toEqual([lodash, leftpad].sort())
    expect(rows.every((r) => r.source === 'hub' && r.agent === agent.peerId && r.status === 'open')).toBe(true)
    // Counts, trends, reports and webhooks see them.
    const counts = (await api('/tenants/acme/findings?facets=1')).body.counts as { severity: Record<string, number>, package: Record<string, number> }
    expect(counts.package).toMatchObject({ lodash: 1, 'left-pad': 1 })
    const trend = (await api('/tenants/acme/trends?days=1')).body.days as { open: Record<string, number> }[]
    expect(Object.values(trend.at(-1)!.open).reduce((a, b) => a + b, 0)).toBe(2)
    expect((await api('/tenants/acme/reports/csv')).body).toContain(lodash)
    await until(async () => received.flatMap((r) => r.data.findings ?? []).map((f) => f.id), (ids) => ids.includes(lodash) && ids.includes(leftpad), 'finding.new for both')
    // A browser follows them live in the tenant's enrich doc (read-only, like the agents' docs).
    const view = new Y.Doc()
    const provider = new WebsocketProvider(hub.url.replace('http', 'ws') + '/sync', 'acme/enrich', view, { WebSocketPolyfill: withToken(token) as never })
    try {
      await new Promise<void>((r) => provider.once('sync', () => r()))
      expect([...matchedFindings(view).keys()].sort()).toEqual([lodash, leftpad].sort())
    } finally {
      provider.destroy()
    }
    // Nothing of it reaches another tenant.
    expect((await api('/tenants/globex/findings?status=all')).body.findings).toEqual([])
    const metrics = await (await fetch(hub.url + '/metrics', { headers: { authorization: `Bearer ${token}` } })).text()
    expect(metrics).toMatch(/^zerotrace_enrichment_queue_depth 0$/m)
    expect(metrics).toMatch(/^zerotrace_rematch_runs_total\{result="ok"\} [1-9]\d*$/m)
    expect(metrics).toMatch(/^zerotrace_rematch_duration_seconds_count\{\} [1-9]\d*$/m)
  })

  it('lists a finding once when the agent reports what the hub found, and sends no second finding.new', async () => {
    const lodash = idOf('GHSA-lodash-0001', 'lodash', '4.17.20', 'web/package-lock.json')
    const webhooksBefore = received.flatMap((r) => r.data.findings ?? []).filter((f) => f.id === lodash).length
    await agent.write([{ id: lodash, kind: 'vuln', rule: 'GHSA-lodash-0001', aliases: ['GHSA-lodash-0001', 'CVE-2099-1001'], severity: 'medium', ecosystem: 'npm', package: 'lodash', version: '4.17.20', path: 'web/package-lock.json', firstSeen: Date.now() }])
    const rows = await until(() => list(), (r) => r.some((f) => f.id === lodash && f.source === undefined), 'the agent\'s row')
    expect(rows.filter((f) => f.id === lodash)).toHaveLength(1)
    expect(rows).toHaveLength(2)
    // A re-match later keeps it the agent's.
    await hub.enrichment.rematch(['acme'])
    expect((await list()).filter((f) => f.id === lodash).map((f) => f.source ?? 'agent')).toEqual(['agent'])
    await new Promise((r) => setTimeout(r, 300))
    expect(received.flatMap((r) => r.data.findings ?? []).filter((f) => f.id === lodash)).toHaveLength(webhooksBefore)
  })

  it('resolves a hub-found finding that no longer matches after an advisory update', async () => {
    const leftpad = idOf('GHSA-leftpad-0001', 'left-pad', '1.0.0', 'web/package-lock.json')
    // The advisory now says only versions before 0.9.0 are affected.
    await api('/advisories', { raw: JSON.stringify(osv('GHSA-leftpad-0001', 'left-pad', '0.9.0', { aliases: ['CVE-2099-1002'], modified: '2026-02-01T00:00:00Z' })) })
    await hub.enrichment.idle()
    expect((await list()).map((f) => f.id)).not.toContain(leftpad)
    const resolved = (await list('?status=resolved')).find((f) => f.id === leftpad)
    expect(resolved).toMatchObject({ source: 'hub', status: 'resolved' })
    expect(resolved!.resolvedAt).toBeGreaterThan(0)
  })

  it('sorts by the enriched risk: a KEV import re-scores the rows it concerns', async () => {
    await api('/advisories', { raw: JSON.stringify(osv('GHSA-minimist-0001', 'minimist', '0.2.1', { aliases: ['CVE-2099-1003'], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] })) })
    await hub.enrichment.idle()
    const minimist = idOf('GHSA-minimist-0001', 'minimist', '0.0.8', 'web/package-lock.json')
    const lodash = idOf('GHSA-lodash-0001', 'lodash', '4.17.20', 'web/package-lock.json')
    let rows = await list()
    expect(rows.map((f) => f.id)).toEqual([minimist, lodash]) // critical CVSS first
    const before = rows.find((f) => f.id === lodash)!.risk
    const kev = JSON.stringify({ title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2026.11.25', dateReleased: '2026-11-25T00:00:00Z', count: 1, vulnerabilities: [{ cveID: 'CVE-2099-1001', vendorProject: 'x', product: 'lodash', vulnerabilityName: 'x', dateAdded: '2026-11-20', shortDescription: 'x', requiredAction: 'x', dueDate: '2026-12-11', knownRansomwareCampaignUse: 'Known', notes: '' }] })
    // Into the running hub over its API (what `zt hub db import-kev` does when the hub holds its DB).
    expect((await api('/kev', { raw: '{"not":"a catalog"}' })).body).toMatchObject({ error: { code: expect.any(String) } })
    expect((await api('/kev', { raw: kev })).body).toMatchObject({ imported: 1, version: '2026.11.25' })
    await hub.enrichment.idle()
    rows = await list()
    expect(rows.map((f) => f.id)).toEqual([lodash, minimist])
    expect(rows[0]!.risk).toBeGreaterThanOrEqual(80)
    expect(rows[0]!.risk).toBeGreaterThan(before)
    // Known exploited: marked on the row, a filter, and a count the overview calls out.
    expect(rows.map((f) => [f.id, f.kev ?? false])).toEqual([[lodash, true], [minimist, false]])
    expect((await list('?kev=true')).map((f) => f.id)).toEqual([lodash])
    expect(((await api('/tenants/acme/summary')).body.counts as { kev: Record<string, number> }).kev).toEqual({ true: 1 })
    expect((await api('/tenants/acme/findings?kev=false')).status).toBe(400)
  })

  it('hides suppressed findings from the listing, counts, reports and webhooks; status=suppressed shows them; CycloneDX states them not_affected; expiry and deletion bring them back', async () => {
    const lodash = idOf('GHSA-lodash-0001', 'lodash', '4.17.20', 'web/package-lock.json')
    const minimist = idOf('GHSA-minimist-0001', 'minimist', '0.0.8', 'web/package-lock.json')
    expect((await api('/tenants/acme/suppressions', { body: { vulnerability: 'CVE-2099-1001', justification: 'made-up' } })).body).toMatchObject({ error: { code: 'bad-request' } })
    const made = await api('/tenants/acme/suppressions', { body: { vulnerability: 'CVE-2099-1001', justification: 'vulnerable_code_not_in_execute_path', products: ['pkg:npm/lodash'] } })
    expect(made.status).toBe(201)
    const id = (made.body.suppression as { id: string }).id
    expect((await list()).map((f) => f.id)).toEqual([minimist])
    const shown = await list('?suppressed=true')
    expect(shown).toEqual([expect.objectContaining({ id: lodash, status: 'suppressed', suppressed: expect.objectContaining({ justification: 'vulnerable_code_not_in_execute_path' }) })])
    expect((await list('?status=suppressed')).map((f) => f.id)).toEqual([lodash])
    const counts = (await api('/tenants/acme/findings?facets=1')).body.counts as { package: Record<string, number> }
    expect(counts.package.lodash).toBeUndefined()
    expect((await api('/tenants/acme/reports/csv')).body).not.toContain(lodash)
    const cdx = (await api('/tenants/acme/reports/cyclonedx')).body as unknown as { vulnerabilities: { id: string, analysis?: { state: string, justification?: string } }[] }
    expect(cdx.vulnerabilities.find((v) => v.id === 'GHSA-lodash-0001')!.analysis).toMatchObject({ state: 'not_affected', justification: 'code_not_reachable' })
    expect(cdx.vulnerabilities.find((v) => v.id === 'GHSA-minimist-0001')!.analysis).toBeUndefined()
    // A finding a statement covers when it is found: no finding.new.
    const vex = { '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex/1', author: 'sec', timestamp: new Date().toISOString(), version: 1, statements: [{ vulnerability: { name: 'CVE-2099-1004' }, products: [{ '@id': 'pkg:npm/express' }], status: 'not_affected', justification: 'vulnerable_code_not_present' }] }
    expect((await api('/tenants/acme/suppressions/openvex', { raw: JSON.stringify(vex) })).body).toMatchObject({ added: 1, errors: [] })
    expect((await api('/tenants/acme/suppressions/openvex', { raw: '{"not":"vex"}' })).body).toMatchObject({ error: { code: 'bad-vex' } })
    await api('/advisories', { raw: JSON.stringify(osv('GHSA-express-0001', 'express', '4.1.0', { aliases: ['CVE-2099-1004'] })) })
    await hub.enrichment.idle()
    const express = idOf('GHSA-express-0001', 'express', '4.0.0', 'api/package-lock.json')
    expect((await list('?status=suppressed')).map((f) => f.id).sort()).toEqual([lodash, express].sort())
    await new Promise((r) => setTimeout(r, 300))
    expect(received.flatMap((r) => r.data.findings ?? []).map((f) => f.id)).not.toContain(express)
    // Deleted: listed again. Expired: listed again.
    expect((await api(`/tenants/acme/suppressions/${encodeURIComponent(id)}`, { method: 'DELETE' })).status).toBe(200)
    expect((await list()).map((f) => f.id).sort()).toEqual([lodash, minimist].sort())
    expect((await api('/tenants/acme/suppressions', { body: { vulnerability: 'GHSA-minimist-0001', impactStatement: 'only in tests', expires: new Date(Date.now() + 1500).toISOString() } })).status).toBe(201)
    expect((await list()).map((f) => f.id)).toEqual([lodash])
    await until(() => list(), (r) => r.some((f) => f.id === minimist), 'the expired suppression to stop applying')
    // Viewers of another tenant see nothing of it.
    expect((await api('/tenants/globex/suppressions')).body).toEqual({ suppressions: [] })
  }, 30_000)

  it('re-matches at start when the advisory DB changed while the hub was stopped', async () => {
    await agent.peer.stop()
    await hub.stop()
    const file = join(home, 'offline.jsonl')
    await writeFile(file, JSON.stringify(osv('GHSA-express-0002', 'express', '4.5.0')) + '\n')
    await importIntoHubDb(hubDbDir(join(home, 'hub')), [file])
    hub = await start()
    await hub.enrichment.idle()
    const express2 = idOf('GHSA-express-0002', 'express', '4.0.0', 'api/package-lock.json')
    expect((await list()).find((f) => f.id === express2)).toMatchObject({ source: 'hub', agent: agent.peerId })
  }, 30_000)
})
