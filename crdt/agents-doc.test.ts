import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { MemoryLevel } from 'memory-level'
import { agentRecord, agentRecords, agentSeen, removeAgent, setAgentInfo, setAgentLastScan } from './agents-doc.ts'
import { changeOf } from './author-doc.ts'
import { tenantDoc } from './doc-names.ts'
import { EnvelopeLog, type Store } from './envelope-log.ts'
import { DocValueError } from './errors.ts'
import { newAuthor } from './test-authors.test-data.ts'

const A = '12D3KooWAgentA'
const B = '12D3KooWAgentB'

describe('<tenant>/agents', () => {
  it('combines info, last seen and last scan per agent', () => {
    const doc = new Y.Doc()
    setAgentInfo(doc, A, { name: 'web-1', version: '0.1.0', roles: ['agent'], certSerial: 7, certExpiry: 5000 })
    agentSeen(doc, A, 100_000)
    setAgentLastScan(doc, A, { at: 90_000, findings: 3, packages: 40, durationMs: 1200 })
    agentSeen(doc, B, 50_000)
    expect(agentRecord(doc, A)).toEqual({ id: A, name: 'web-1', version: '0.1.0', roles: ['agent'], certSerial: 7, certExpiry: 5000, lastSeen: 100_000, lastScan: { at: 90_000, findings: 3, packages: 40, durationMs: 1200 } })
    expect(agentRecords(doc).map((r) => r.id)).toEqual([A, B])
    expect(agentRecord(doc, '12D3KooWNobody')).toBeUndefined()
    expect(removeAgent(doc, B)).toBe(true)
    expect(agentRecords(doc).map((r) => r.id)).toEqual([A])
  })

  it('last seen moves forward in steps of the resolution; unchanged info and older scans write nothing', () => {
    const doc = new Y.Doc()
    agentSeen(doc, A, 100_000)
    expect(changeOf(doc, () => expect(agentSeen(doc, A, 130_000)).toBe(false))).toBeUndefined()
    expect(changeOf(doc, () => expect(agentSeen(doc, A, 50_000)).toBe(false))).toBeUndefined()
    expect(agentSeen(doc, A, 160_000)).toBe(true)
    expect(agentRecord(doc, A)!.lastSeen).toBe(160_000)
    setAgentInfo(doc, A, { name: 'web-1', certExpiry: 5000 })
    expect(changeOf(doc, () => setAgentInfo(doc, A, { certExpiry: 5000, name: 'web-1', version: undefined }))).toBeUndefined()
    setAgentLastScan(doc, A, { at: 10, findings: 1, packages: 1 })
    expect(changeOf(doc, () => expect(setAgentLastScan(doc, A, { at: 5, findings: 9, packages: 9 })).toBe(false))).toBeUndefined()
    expect(() => agentSeen(doc, A, Number.NaN)).toThrow(DocValueError)
  })

  it('is written by a hub of the tenant through the envelope log, and by nobody else', async () => {
    const hub = await newAuthor()
    const agent = await newAuthor()
    const name = tenantDoc('acme', 'agents')
    const log = new EnvelopeLog(new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }) as unknown as Store)
    const policy = { rights: { hubs: new Set([hub.peerId]), tenant: 'acme' } }
    await log.writeAs(name, hub, () => [(d) => { setAgentInfo(d, agent.peerId, { name: 'a' }); agentSeen(d, agent.peerId, 1000) }], policy, 1000)
    // A second identical write produces no envelope.
    expect(await log.writeAs(name, hub, () => [(d) => { setAgentInfo(d, agent.peerId, { name: 'a' }); agentSeen(d, agent.peerId, 1000) }], policy, 2000)).toBe(0)
    expect((await log.head(name, hub.peerId))!.seq).toBe(1)
    const replica = new Y.Doc()
    Y.applyUpdate(replica, (await log.state(name))!)
    expect(agentRecord(replica, agent.peerId)).toEqual({ id: agent.peerId, name: 'a', lastSeen: 1000 })
    await expect(log.writeAs(name, agent, () => [(d) => agentSeen(d, agent.peerId, 5000)], policy, 5000)).rejects.toMatchObject({ code: 'wrong-author' })
  })
})
