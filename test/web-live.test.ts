// The web UI's live view (web/live/live-sync.ts) against a real hub: the hub's index signal
// in the `<tenant>/agents` room tells the open page to refetch once the index holds a
// change: an agent's own findings, and findings the hub itself finds (a re-match after an
// advisory import, kept in `<tenant>/enrich`). No findings doc is synced to the page.
import { describe, it, expect } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { createTenantRoot, openTenantRoot } from '../keys/index.ts'
import { startHub } from '../hub/index.ts'
import { testAgent } from '../hub/hub.test-data.ts'
import { sampleFinding } from './web-hub.ts'
import { LiveSync, type LiveChange } from '../web/live/live-sync.ts'

const PASS = 'web-live-test-passphrase'

/** A hub with tenant acme, an agent of it (not connected yet), and a LiveSync authorized by the operator token. */
async function liveHub(name: string, serial: number) {
  const home = await mkdtemp(join(tmpdir(), 'zt-web-live-'))
  await createTenantRoot(home, 'acme', PASS)
  const hub = await startHub({ home, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0 })
  const agent = await testAgent(await openTenantRoot(home, 'acme', PASS), name, serial)
  const token = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
  class Authed extends WebSocket { constructor(url: string, protocols?: string | string[]) { super(url, protocols, { headers: { authorization: `Bearer ${token}` } }) } }
  const live = new LiveSync({ url: hub.url.replace('http', 'ws') + '/sync', tenant: 'acme', WebSocket: Authed as never, pollMs: 60_000 })
  return { home, hub, agent, token, live }
}

describe('LiveSync', () => {
  it('hears of an agent\'s new finding once the index holds it, without syncing the findings doc', async () => {
    const { home, hub, agent, token, live } = await liveHub('build-live-2', 801)
    const listed = async (id: string) => {
      const res = await fetch(`${hub.url}/api/v1/tenants/acme/findings?status=all&limit=500`, { headers: { authorization: `Bearer ${token}` } })
      return ((await res.json()) as { findings: { id: string }[] }).findings.some((f) => f.id === id)
    }
    try {
      agent.peer.connect(hub.multiaddrs()[0]!)
      await agent.write([sampleFinding(1)])
      for (let i = 0; i < 200 && !(await listed(sampleFinding(1).id)); i++) await new Promise((r) => setTimeout(r, 25))
      live.start()
      for (let i = 0; i < 200 && live.state !== 'live'; i++) await new Promise((r) => setTimeout(r, 25))
      expect(live.state).toBe('live')
      // What the page would do on each signal: refetch, and see the finding there already.
      const fresh = sampleFinding(2)
      const seenAtSignal: boolean[] = []
      live.on((c) => { if (c.doc === 'findings' && c.agent === agent.peerId) void listed(fresh.id).then((yes) => seenAtSignal.push(yes)) })
      await agent.write([fresh])
      for (let i = 0; i < 200 && !seenAtSignal.includes(true); i++) await new Promise((r) => setTimeout(r, 25))
      expect(seenAtSignal[0]).toBe(true)
      // The page follows two small rooms (agents, triage), never a findings doc.
      const docs = hub.syncRooms()
      expect(docs.sort()).toEqual(['acme/agents', 'acme/triage'])
    } finally {
      live.stop()
      await agent.close()
      await hub.stop()
      await rm(home, { recursive: true, force: true })
    }
  })

  it('hears of hub-found findings of an agent (a re-match into the enrich doc) through the index signal', async () => {
    const { home, hub, agent, token, live } = await liveHub('build-live', 800)
    try {
      await agent.writeInventory([{ ecosystem: 'npm', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20', source: 'package-lock.json' }])
      agent.peer.connect(hub.multiaddrs()[0]!)
      for (let i = 0; i < 200 && !(await hub.tenants.get('acme')!.replica.log.haveVector())[`inventory/${agent.peerId}`]; i++) await new Promise((r) => setTimeout(r, 25))
      const changes: LiveChange[] = []
      live.on((c) => changes.push(c))
      live.start()
      for (let i = 0; i < 200 && live.state !== 'live'; i++) await new Promise((r) => setTimeout(r, 25))
      expect(live.state).toBe('live')
      const osv = { schema_version: '1.6.0', id: 'GHSA-live-0001', modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }] }
      const res = await fetch(hub.url + '/api/v1/advisories', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(osv) })
      expect(res.status).toBe(200)
      for (let i = 0; i < 200 && !changes.some((c) => c.doc === 'findings' && c.agent === agent.peerId); i++) await new Promise((r) => setTimeout(r, 25))
      expect(changes).toContainEqual({ doc: 'findings', agent: agent.peerId })
    } finally {
      live.stop()
      await agent.close()
      await hub.stop()
      await rm(home, { recursive: true, force: true })
    }
  })
})
