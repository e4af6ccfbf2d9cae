// Webhooks against a real local HTTP receiver: signed bodies, only the events and
// severities asked for, retries with backoff until the receiver takes it, a delivery log.
import { describe, it, expect, afterAll, beforeAll } from 'vitest'
import { createServer, type Server } from 'node:http'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTenantRoot, openTenantRoot } from '../../keys/index.ts'
import { startHub, type Hub } from '../hub.ts'
import { testAgent } from '../hub.test-data.ts'
import { signBody } from './webhooks.ts'

const PASS = 'webhook-test-passphrase'
let home: string
let hub: Hub
let token: string
let receiver: Server
let url: string
const received: { event: string, body: string, valid: boolean }[] = []
let failuresLeft = 2
let secret = ''

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-hooks-'))
  await createTenantRoot(home, 'acme', PASS)
  hub = await startHub({ home, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, offlineGraceMs: 300, webhookRetryMs: 50 })
  token = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => { body += d })
    req.on('end', () => {
      if (failuresLeft > 0) { failuresLeft--; res.writeHead(500).end(); return }
      const ts = Number(req.headers['x-zerotrace-timestamp'])
      received.push({ event: String(req.headers['x-zerotrace-event']), body, valid: req.headers['x-zerotrace-signature'] === signBody(secret, ts, body) })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()))
  url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`
}, 30_000)
afterAll(async () => {
  await hub?.stop()
  receiver?.close()
  await rm(home, { recursive: true, force: true })
})

const api = (path: string, init: { method?: string, body?: unknown } = {}) =>
  fetch(hub.url + '/api/v1' + path, { method: init.method ?? 'GET', body: init.body === undefined ? undefined : JSON.stringify(init.body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } })

async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await fn())) { if (Date.now() > end) throw new Error(`timed out: ${what}`); await new Promise((r) => setTimeout(r, 20)) }
}

describe('webhooks', () => {
  it('delivers finding.new (at or above its severity), agent.offline and agent.revoked, signed, retrying until taken', async () => {
    expect((await api('/tenants/acme/webhooks', { method: 'POST', body: { url: 'ftp://x', events: ['finding.new'] } })).status).toBe(400)
    expect((await api('/tenants/acme/webhooks', { method: 'POST', body: { url, events: ['finding.gone'] } })).status).toBe(400)
    const created = await api('/tenants/acme/webhooks', { method: 'POST', body: { url, events: ['finding.new', 'agent.offline', 'agent.revoked'], minSeverity: 'high' } })
    expect(created.status).toBe(201)
    const hook = (await created.json() as { webhook: { id: string, secret: string } }).webhook
    secret = hook.secret
    expect(JSON.stringify(await (await api('/tenants/acme/webhooks')).json())).not.toContain(secret)

    const root = await openTenantRoot(home, 'acme', PASS)
    const agent = await testAgent(root, 'build-07', 77)
    try {
      const id = (n: number) => n.toString(16).padStart(32, '0')
      await agent.write([
        { id: id(1), kind: 'vuln', rule: 'GHSA-high', severity: 'high', path: 'a', firstSeen: 1 },
        { id: id(2), kind: 'vuln', rule: 'GHSA-low', severity: 'low', path: 'b', firstSeen: 1 },
      ])
      agent.peer.connect(hub.multiaddrs()[0]!)
      await until('finding.new delivered', () => received.some((r) => r.event === 'finding.new'))
      const first = received.find((r) => r.event === 'finding.new')!
      expect(first.valid).toBe(true)
      const payload = JSON.parse(first.body) as { type: string, tenant: string, data: { findings: { rule: string, agent: string }[] } }
      expect(payload).toMatchObject({ type: 'finding.new', tenant: 'acme' })
      expect(payload.data.findings.map((f) => f.rule)).toEqual(['GHSA-high'])
      const log = (await (await api(`/tenants/acme/webhooks/${hook.id}/deliveries`)).json() as { deliveries: { event: string, status: string, attempts: number, responseStatus: number }[] }).deliveries
      expect(log[0]).toMatchObject({ event: 'finding.new', status: 'delivered', attempts: 3, responseStatus: 204 })

      await agent.peer.stop()
      await until('agent.offline delivered', () => received.some((r) => r.event === 'agent.offline'))
      expect(JSON.parse(received.find((r) => r.event === 'agent.offline')!.body).data).toMatchObject({ agent: agent.peerId, name: 'build-07' })

      expect((await api(`/tenants/acme/agents/${agent.peerId}/revoke`, { method: 'POST', body: { reason: 'stolen' } })).status).toBe(200)
      await until('agent.revoked delivered', () => received.some((r) => r.event === 'agent.revoked'))
      expect(JSON.parse(received.find((r) => r.event === 'agent.revoked')!.body).data).toMatchObject({ agent: agent.peerId, reason: 'stolen' })
      expect(received.every((r) => r.valid)).toBe(true)
      expect((await api(`/tenants/acme/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(200)
      expect((await api(`/tenants/acme/webhooks/${hook.id}/deliveries`)).status).toBe(404)
    } finally {
      await agent.close()
    }
  })
})
