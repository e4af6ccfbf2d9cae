// The hub's tenant-doc writer over a real envelope log: agent status changes made close
// together go out as one signed envelope, read when it is written, and nothing is lost on idle().
import { describe, expect, it } from 'vitest'
import { MemoryLevel } from 'memory-level'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { agentStatusOf, EnvelopeLog, tenantDoc, type Store } from '../crdt/index.ts'
import { createAgentKey } from '../keys/index.ts'
import { Replica } from '../mesh/index.ts'
import { STATUS_MS, TenantWriter } from './tenant-writer.ts'

const mem = () => new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }) as unknown as Store

describe('TenantWriter.updateStatus', () => {
  it('writes a burst of status changes as one envelope, function patches read at write time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-writer-'))
    try {
      const hub = await createAgentKey(dir)
      const replica = await Replica.open({ tenant: 'acme', rootPublicKey: new Uint8Array(32), self: hub.peerId, role: 'hub', log: new EnvelopeLog(mem()), meta: mem(), hubs: new Set([hub.peerId]) })
      const writer = new TenantWriter(replica, { peerId: hub.peerId, seed: hub.seed }, (err) => { throw err })
      const published: number[] = []
      replica.onStored((env) => published.push(env.seq))
      let online = false
      for (let i = 0; i < 50; i++) writer.updateStatus(`agent-${i}`, { name: `a${i}`, lastSeen: i })
      writer.updateStatus('agent-0', () => ({ online }))
      online = true // read when the write happens, not when it was asked for
      await new Promise((r) => setTimeout(r, STATUS_MS * 4))
      await writer.idle()
      const name = tenantDoc('acme', 'agents')
      expect((await replica.log.head(name, hub.peerId))?.seq).toBe(1)
      expect(published).toEqual([1])
      const doc = (await replica.log.doc(name))!
      expect(agentStatusOf(doc, 'agent-0')).toEqual({ name: 'a0', lastSeen: 0, online: true })
      expect(agentStatusOf(doc, 'agent-49')).toEqual({ name: 'a49', lastSeen: 49 })
      // idle() writes what is still gathering, without waiting for the timer.
      writer.updateStatus('agent-7', { lastScan: 123 })
      await writer.idle()
      expect((await replica.log.head(name, hub.peerId))?.seq).toBe(2)
      expect(agentStatusOf((await replica.log.doc(name))!, 'agent-7')).toEqual({ name: 'a7', lastSeen: 7, lastScan: 123 })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
