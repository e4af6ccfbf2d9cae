// The hub in-process, as `zt hub start` makes it: tenants from a real home, a hub
// certificate per tenant, HTTP with the operator token; an agent peer syncs into it.
import { describe, it, expect, afterAll, beforeAll } from 'vitest'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { createTenantRoot, listIssued, openTenantRoot, decodeCertificate, issueCertificate } from '../keys/index.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { buildEnvelope, deltaOf, findingsDoc, FINDINGS, hashOf, openAuthorDoc } from '../crdt/index.ts'
import { READS_BUT_FAILS } from '../test/bad-updates.ts'
import { writeBundle } from '../mesh/index.ts'
import { startHub, type Hub } from './hub.ts'
import { testAgent } from './hub.test-data.ts'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'

const PASS = 'hub-test-passphrase'
const F1 = '0'.repeat(31) + '1'
const F2 = '0'.repeat(31) + '2'
const F3 = '0'.repeat(31) + '3'
let home: string
let hub: Hub
let token: string

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-hub-'))
  await createTenantRoot(home, 'acme', PASS)
  await createTenantRoot(home, 'globex', PASS)
  hub = await startHub({ home, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0 })
  token = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
}, 30_000)
afterAll(async () => {
  await hub?.stop()
  await rm(home, { recursive: true, force: true })
})

function withToken(t: string) {
  return class extends WebSocket { constructor(url: string, protocols?: string | string[]) { super(url, protocols, { headers: { authorization: `Bearer ${t}` } }) } }
}

function closeCode(path: string, t?: string): Promise<number> {
  const ws = t ? new (withToken(t))(hub.url.replace('http', 'ws') + path) : new WebSocket(hub.url.replace('http', 'ws') + path)
  return new Promise((r) => ws.on('close', (code) => r(code)))
}

const get = (path: string, auth?: string) => fetch(hub.url + path, auth === undefined ? {} : { headers: { authorization: `Bearer ${auth}` } })

describe('zt hub start, in-process', () => {
  it('serves every tenant of its home with a hub certificate of its own, recorded in the home', async () => {
    expect([...hub.tenants.keys()].sort()).toEqual(['acme', 'globex'])
    for (const t of ['acme', 'globex']) {
      const cert = decodeCertificate(hub.tenants.get(t)!.cert.bytes).body
      expect(cert).toMatchObject({ tenant: t, subject: hub.peerId, roles: ['hub'] })
      expect((await listIssued(home, t)).some((c) => c.body.subject === hub.peerId)).toBe(true)
    }
    expect(hub.multiaddrs()[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW/)
    expect((await stat(join(home, 'operator.token'))).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(join(home, 'hub.json'), 'utf8'))).toMatchObject({ url: hub.url, peerId: hub.peerId })
  })

  it('answers /healthz to anyone and the API only with the operator token, in one error shape', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' })
    for (const auth of [undefined, '', 'f'.repeat(64), token.slice(1)]) {
      const res = await get('/api/v1/tenants/acme/agents', auth)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
    const unknown = await get('/api/v1/tenants/initech/agents', token)
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown-tenant' } })
    const bad = await get('/api/v1/tenants/acme/findings?severity=urgent', token)
    expect(bad.status).toBe(400)
    expect((await get('/nowhere', token)).status).toBe(404)
    expect((await get('/metrics')).status).toBe(401)
    expect(await (await get('/readyz')).json()).toEqual({ status: 'ready' })
  })

  it('takes an agent\'s findings over the mesh and lists them and the agent per tenant only', async () => {
    const root = await openTenantRoot(home, 'acme', PASS)
    const agent = await testAgent(root, 'build-01', 900)
    const { peerId, cert, replica, peer } = agent
    await agent.write([
      { id: F1, kind: 'vuln', rule: 'GHSA-aaaa', severity: 'high', ecosystem: 'npm', package: 'lodash', version: '4.17.20', path: 'package-lock.json', firstSeen: 1 },
      { id: F2, kind: 'secret', rule: 'github-pat', severity: 'critical', path: '.env', line: 3, evidence: 'ghp_****abcd', firstSeen: 1 },
    ])
    try {
      peer.connect(hub.multiaddrs()[0]!)
      let findings: { id: string, agent: string }[] = []
      for (let i = 0; i < 100 && findings.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50))
        findings = ((await (await get('/api/v1/tenants/acme/findings', token)).json()) as { findings: typeof findings }).findings
      }
      expect(findings.map((f) => f.id)).toEqual([F2, F1]) // critical first
      expect(findings.every((f) => f.agent === peerId)).toBe(true)
      const high = ((await (await get('/api/v1/tenants/acme/findings?severity=high', token)).json()) as { findings: typeof findings }).findings
      expect(high.map((f) => f.id)).toEqual([F1])
      const agents = ((await (await get('/api/v1/tenants/acme/agents', token)).json()) as { agents: { id: string, name: string, online: boolean, revoked: boolean }[] }).agents
      expect(agents).toEqual([expect.objectContaining({ id: peerId, name: 'build-01', online: true, revoked: false })])
      // Nothing of acme under globex.
      expect(((await (await get('/api/v1/tenants/globex/findings', token)).json()) as { findings: unknown[] }).findings).toEqual([])
      expect(((await (await get('/api/v1/tenants/globex/agents', token)).json()) as { agents: unknown[] }).agents).toEqual([])
      // The same envelopes as a bundle over HTTP: all held already; a flipped byte is refused by name.
      await replica.learnCertificate(cert.bytes)
      const frames: Uint8Array[] = []
      for await (const f of writeBundle(replica)) frames.push(f)
      const bundle = Buffer.concat(frames)
      const post = (body: Uint8Array, auth = token) => fetch(hub.url + '/api/v1/bundles', { method: 'POST', body: Uint8Array.from(body), headers: { authorization: `Bearer ${auth}` } })
      expect(await (await post(bundle)).json()).toMatchObject({ tenant: 'acme', envelopes: 1, stored: 0, duplicates: 1 })
      const tampered = Buffer.from(bundle)
      tampered[tampered.length - 10]! ^= 1
      const refused = await post(tampered)
      expect(refused.status).toBe(400)
      expect(await refused.json()).toMatchObject({ error: { code: 'bad-signature', envelope: `envelope 1 of the bundle (${findingsDoc(peerId)}#1 by ${peerId})` } })
      expect((await post(bundle, 'nope')).status).toBe(401)
      const metrics = await (await get('/metrics', token)).text()
      expect(metrics).toMatch(/^zerotrace_connected_agents\{tenant="acme"\} 1$/m)
      expect(metrics).toMatch(/^zerotrace_connected_agents\{tenant="globex"\} 0$/m)
      expect(metrics).toMatch(/^zerotrace_envelopes_total\{result="accepted",reason=""\} 1$/m)
      expect(metrics).toMatch(/^zerotrace_envelopes_total\{result="rejected",reason="bad-signature"\} 0$|^zerotrace_bundles_total\{result="refused",code="bad-signature"\} 1$/m)
      expect(metrics).toMatch(/^zerotrace_api_request_duration_seconds_count\{route="\/api\/v1\/tenants\/:tenant\/findings",method="GET",status="200"\} \d+$/m)
      expect(metrics).toMatch(/^zerotrace_sync_lag_seconds_count\{tenant="acme"\} 1$/m)
      for (const line of metrics.split('\n')) if (line && !line.startsWith('#')) expect(line).toMatch(/^zerotrace_/)

      // y-websocket, read-only: the doc as the hub holds it, then live as the agent writes.
      const browserDoc = new Y.Doc()
      const provider = new WebsocketProvider(hub.url.replace('http', 'ws') + '/sync', findingsDoc(peerId), browserDoc, { WebSocketPolyfill: withToken(token) as never })
      try {
        await new Promise<void>((r) => provider.once('sync', () => r()))
        expect(browserDoc.getMap(FINDINGS).size).toBe(2)
        await agent.write([{ id: F3, kind: 'vuln', rule: 'GHSA-bbbb', severity: 'low', ecosystem: 'Go', package: 'golang.org/x/net', version: '0.1.0', fixedIn: ['0.7.0'], path: 'go.mod', firstSeen: 2 }])
        for (let i = 0; i < 100 && browserDoc.getMap(FINDINGS).size < 3; i++) await new Promise((r) => setTimeout(r, 20))
        expect(browserDoc.getMap(FINDINGS).size).toBe(3)
        // What the browser writes stays in the browser.
        browserDoc.getMap(FINDINGS).set('forged', { id: 'forged' })
        await new Promise((r) => setTimeout(r, 200))
        expect((await hub.tenants.get('acme')!.replica.log.doc(findingsDoc(peerId)))!.getMap(FINDINGS).has('forged')).toBe(false)
      } finally {
        provider.destroy()
      }
      // Triage and comments go through the API into <tenant>/triage, signed by the hub; the index follows.
      const postJson = (path: string, body: unknown) => fetch(hub.url + path, { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } })
      expect((await postJson(`/api/v1/tenants/acme/findings/${F1}/triage`, { status: 'risk-accepted' })).status).toBe(400)
      expect((await postJson(`/api/v1/tenants/acme/findings/${F1}/triage`, { status: 'risk-accepted', until: '2020-01-01', reason: 'x' })).status).toBe(400)
      const accepted = await postJson(`/api/v1/tenants/acme/findings/${F1}/triage`, { status: 'risk-accepted', until: new Date(Date.now() + 86_400_000).toISOString(), reason: 'internal only', assignee: 'ana' })
      expect(accepted.status).toBe(200)
      expect((await postJson(`/api/v1/tenants/acme/findings/${F1}/comments`, { text: '<img src=x onerror=alert(1)>' })).status).toBe(200)
      expect((await postJson(`/api/v1/tenants/acme/findings/${'f'.repeat(32)}/comments`, { text: 'x' })).status).toBe(404)
      const one = await (await get(`/api/v1/tenants/acme/findings/${F1}`, token)).json() as { finding: { triage: string }, triage: { status: string, by: string }, comments: { text: string }[], history: { seq: number, author: string }[] }
      expect(one).toMatchObject({ finding: { triage: 'risk-accepted' }, triage: { status: 'risk-accepted', by: 'operator' }, comments: [{ text: '<img src=x onerror=alert(1)>' }] })
      expect(one.history).toEqual([expect.objectContaining({ seq: 1, author: peerId })])
      const accepted2 = ((await (await get('/api/v1/tenants/acme/findings?triage=risk-accepted', token)).json()) as { findings: { id: string }[] }).findings
      expect(accepted2.map((f) => f.id)).toEqual([F1])
      const triageLog = await hub.tenants.get('acme')!.replica.log.haveVector()
      expect(triageLog['acme/triage']).toEqual({ [hub.peerId]: 2 })
      // Reports, with the listing's filters; triage shows up as VEX analysis.
      const report = async (format: string, q = '') => { const r = await get(`/api/v1/tenants/acme/reports/${format}${q}`, token); return { type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), text: await r.text() } }
      const csv = await report('csv')
      expect(csv.type).toBe('text/csv; charset=utf-8')
      expect(csv.text.trim().split('\r\n')).toHaveLength(4)
      expect(csv.disposition).toMatch(/^attachment; filename="zerotrace-acme-\d{4}-\d{2}-\d{2}\.csv"$/)
      expect(JSON.parse((await report('json', '?severity=high')).text).findings.map((f: { id: string }) => f.id)).toEqual([F1])
      const cdx = JSON.parse((await report('cyclonedx')).text) as { components: { purl: string }[], vulnerabilities: { id: string, analysis?: { state: string } }[] }
      expect(cdx.components.map((x) => x.purl).sort()).toEqual(['pkg:golang/golang.org/x/net@0.1.0', 'pkg:npm/lodash@4.17.20'])
      expect(cdx.vulnerabilities).toContainEqual(expect.objectContaining({ id: 'GHSA-aaaa', analysis: expect.objectContaining({ state: 'exploitable' }) }))
      expect(JSON.parse((await report('sarif')).text).runs[0].results).toHaveLength(3)
      expect((await report('html')).text).toContain('<td>github-pat</td>')
      expect((await get('/api/v1/tenants/acme/reports/pdf', token)).status).toBe(400)

      // Upgrade advice: the version that clears the open findings of each package.
      const advice = await (await get('/api/v1/tenants/acme/upgrades', token)).json() as { upgrades: { package: string, upgradeTo: string, clears: number, agents: number }[] }
      // (lodash is risk-accepted: no advice for it.)
      expect(advice.upgrades).toEqual([expect.objectContaining({ package: 'golang.org/x/net', upgradeTo: '0.7.0', clears: 1, agents: 1 })])
      // The overview.
      expect(((await (await get('/api/v1/tenants', token)).json()) as { tenants: { tenant: string }[] }).tenants.map((x) => x.tenant).sort()).toEqual(['acme', 'globex'])
      expect(await (await get('/api/v1/tenants/acme/summary', token)).json()).toMatchObject({ counts: { severity: { critical: 1, high: 1, low: 1 } }, agents: { total: 1, online: 1, stale: 0, revoked: 0 } })
      const trend = ((await (await get('/api/v1/tenants/acme/trends?days=2', token)).json()) as { days: { day: string, open: Record<string, number> }[] }).days
      expect(trend).toHaveLength(2)
      expect(trend[1]!.open).toEqual({ critical: 1, high: 1, low: 1 }) // firstSeen 1 ms and 2 ms: open since 1970
      expect((await get('/api/v1/tenants/acme/trends?days=0', token)).status).toBe(400)

      // The agents doc, live over y-websocket: the hub wrote this agent's status.
      const agentsDoc = new Y.Doc()
      const agentsView = new WebsocketProvider(hub.url.replace('http', 'ws') + '/sync', 'acme/agents', agentsDoc, { WebSocketPolyfill: withToken(token) as never })
      try {
        await new Promise<void>((r) => agentsView.once('sync', () => r()))
        expect(agentsDoc.getMap('agents').get(peerId)).toMatchObject({ name: 'build-01', online: true })
      } finally {
        agentsView.destroy()
      }

      // The agent, and its revocation through the API: signed by the tenant root the hub holds.
      const detail = await (await get(`/api/v1/tenants/acme/agents/${peerId}`, token)).json() as { agent: { name: string }, inventory: { packages: number } }
      expect(detail).toMatchObject({ agent: { name: 'build-01' }, inventory: { packages: 0 } })
      expect((await get(`/api/v1/tenants/globex/agents/${peerId}`, token)).status).toBe(404)
      const revoke = (body: unknown) => fetch(`${hub.url}/api/v1/tenants/acme/agents/${peerId}/revoke`, { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } })
      expect((await revoke({})).status).toBe(400)
      expect(await (await revoke({ reason: 'laptop lost' })).json()).toEqual({ revoked: peerId, revocationList: 1 })
      expect((await revoke({ reason: 'again' })).status).toBe(409)
      const { readRevocationList } = await import('../keys/index.ts')
      expect((await readRevocationList(home, 'acme'))!.body.entries).toEqual([expect.objectContaining({ subject: peerId, serial: 900, reason: 'laptop lost' })])
      for (let i = 0; i < 100 && peer.sessions.size > 0; i++) await new Promise((r) => setTimeout(r, 20))
      expect(peer.sessions.size).toBe(0)
      expect(replica.revocationVersion).toBe(1)
      const listed = ((await (await get('/api/v1/tenants/acme/agents', token)).json()) as { agents: { revoked: boolean, online: boolean }[] }).agents
      expect(listed).toEqual([expect.objectContaining({ revoked: true, online: false })])

      expect(await closeCode(`/sync/${findingsDoc(peerId)}`)).toBe(4401)
      expect(await closeCode(`/sync/${findingsDoc(peerId)}`, 'f'.repeat(64))).toBe(4401)
      expect(await closeCode('/sync/globex/settings', token)).toBe(4400)
      expect(await closeCode(`/sync/${findingsDoc('12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf')}`, token)).toBe(4404)
    } finally {
      await agent.close()
    }
  })
})

describe('applying behind the ack', () => {
  it('takes out again, counts and logs an envelope it stored and acked that then does not apply; the agent\'s doc stays as before it', async () => {
    const root = await openTenantRoot(home, 'acme', PASS)
    const key = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(key).toString()
    const author = { peerId, seed: key.raw.subarray(0, 32) }
    const cert = issueCertificate(root, { subject: peerId, name: 'crafty', roles: ['agent'], serial: 950, notBefore: Date.now() - 1000, notAfter: Date.now() + 86_400_000 })
    const { replica } = hub.tenants.get('acme')!
    await replica.learnCertificate(cert.bytes)
    const doc = findingsDoc(peerId)
    const mine = openAuthorDoc(peerId)
    const good = buildEnvelope(author, doc, 'yjs', deltaOf(mine, () => mine.getMap(FINDINGS).set(F1, { id: F1, kind: 'vuln', rule: 'GHSA-1', severity: 'high', path: 'a/package-lock.json' }))!, undefined, Date.now())
    const bad = buildEnvelope(author, doc, 'yjs', READS_BUT_FAILS, { seq: 1, hash: hashOf(good) }, Date.now())
    const before = hub.mesh.counters.get('envelopes:unstored:bad-payload')
    expect(await replica.receive(good)).toBe('stored')
    expect(await replica.receive(bad)).toBe('stored')
    for (let i = 0; i < 200 && hub.mesh.counters.get('envelopes:unstored:bad-payload') === before; i++) await new Promise((r) => setTimeout(r, 25))
    expect(hub.mesh.counters.get('envelopes:unstored:bad-payload')).toBe(before + 1)
    expect((await replica.log.head(doc, peerId))?.seq).toBe(1)
    expect((await replica.log.doc(doc))!.getMap(FINDINGS).toJSON()).toEqual({ [F1]: expect.objectContaining({ id: F1 }) })
  })
})

describe('zt hub stop', () => {
  it('lets the writes that closing sessions start settle before the store closes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-hub-stop-'))
    await createTenantRoot(dir, 'acme', PASS)
    const lines: string[] = []
    const own = await startHub({ home: dir, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, log: (l) => lines.push(l) })
    const agents = await Promise.all([1, 2, 3].map(async (i) => testAgent(await openTenantRoot(dir, 'acme', PASS), `stop-${i}`, 700 + i)))
    try {
      for (const a of agents) a.peer.connect(own.multiaddrs()[0]!)
      for (let i = 0; i < 200 && own.online('acme').size < 3; i++) await new Promise((r) => setTimeout(r, 25))
      expect(own.online('acme').size).toBe(3)
      await own.stop()
      expect(lines.filter((l) => /not open|closed/i.test(l))).toEqual([])
    } finally {
      await Promise.all(agents.map((a) => a.close()))
      await rm(dir, { recursive: true, force: true })
    }
  })
})
