import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { findingsDoc, inventoryDoc, writeFindings, writeInventory, EnvelopeLog, FINDINGS, PACKAGES, SCAN, type Finding, type Store } from '../../crdt/index.ts'
import { createAgentKey } from '../../keys/index.ts'
import type { Package } from '../../protocol/index.ts'
import { ZEROTRACE_VERSION } from '../../protocol/index.ts'
import { MemoryLevel } from 'memory-level'
import { AgentStore } from './agent-store.ts'
import { writeScan } from './scan-to-log.ts'

const finding = (i: number, over: Partial<Finding> = {}): Finding => ({
  id: `id${i}`, kind: 'vuln', rule: `GHSA-${i}`, severity: 'high', package: `p${i}`, version: '1.0.0', fixedIn: ['1.0.1'], path: `svc-${i % 7}/package-lock.json`, title: 'ünïcode ✓', ...over,
})
const pkg = (i: number): Package => ({ ecosystem: 'npm', name: `p${i}`, version: '1.0.0', source: 'package-lock.json' })

let dir: string
let author: { peerId: string, seed: Uint8Array }
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zt-scan-to-log-'))
  const key = await createAgentKey(dir)
  author = { peerId: key.peerId, seed: key.seed }
})
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

/** The same scans written the plain Yjs way (Y.Map.set on one doc). */
function reference(scans: { findings: Finding[], packages: Package[], at: number }[]) {
  const findings = new Y.Doc()
  const inventory = new Y.Doc()
  for (const s of scans) {
    findings.transact(() => writeFindings(findings, s.findings, s.at))
    inventory.transact(() => writeInventory(inventory, s.packages))
  }
  return { findings: findings.getMap(FINDINGS).toJSON(), packages: inventory.getMap(PACKAGES).toJSON() }
}

describe('a scan into the agent store (LevelDB)', () => {
  it('writes what changed, as the plain Yjs writers would, in a log a replica verifies', async () => {
    const store = await AgentStore.open(join(dir, 'a'))
    const many = Array.from({ length: 20_000 }, (_, i) => finding(i))
    const scans = [
      // a finding reported twice is one entry
      { findings: [...many, finding(5)], packages: Array.from({ length: 3000 }, (_, i) => pkg(i)), at: 1000 },
      // resolved (id1…), changed (id2), and later reopened (id1)
      { findings: [finding(0), finding(2, { severity: 'critical' }), ...many.slice(3)], packages: [pkg(1)], at: 2000 },
      { findings: [finding(1), finding(0), finding(2, { severity: 'critical' }), ...many.slice(3)], packages: [pkg(1), pkg(2)], at: 3000 },
    ]
    for (const s of scans) await writeScan(store, author, { findings: s.findings, packages: s.packages, durationMs: 5 }, s.at)
    const expected = reference(scans)
    const doc = (await store.log.doc(findingsDoc(author.peerId)))!
    expect(doc.getMap(FINDINGS).size).toBe(20_000)
    expect(doc.getMap(FINDINGS).toJSON()).toEqual(expected.findings)
    expect(doc.getMap(FINDINGS).get('id1')).toMatchObject({ firstSeen: 1000 })
    expect((doc.getMap(FINDINGS).get('id1') as Finding).resolvedAt).toBeUndefined()
    expect(doc.getMap(SCAN).get('last')).toEqual({ at: 3000, findings: 20_000, packages: 2, durationMs: 5, version: ZEROTRACE_VERSION })
    expect((await store.log.doc(inventoryDoc(author.peerId)))!.getMap(PACKAGES).toJSON()).toEqual(expected.packages)
    // A no-change rescan appends at most 1 KiB: the scan record.
    const again = await writeScan(store, author, { findings: scans[2]!.findings, packages: scans[2]!.packages, durationMs: 5 }, 4000)
    expect(again.appendedBytes).toBeGreaterThan(0)
    expect(again.appendedBytes).toBeLessThanOrEqual(1024)
    // Every envelope verifies on a replica, which ends with the same state.
    const replica = new EnvelopeLog(new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }) as unknown as Store)
    for (const name of [findingsDoc(author.peerId), inventoryDoc(author.peerId)]) {
      const envs: Uint8Array[] = []
      for await (const e of store.log.read(name, author.peerId)) envs.push(e)
      expect((await replica.appendMany(envs, { rights: { hubs: new Set() } })).every((r) => r === 'stored')).toBe(true)
      expect(Buffer.from((await replica.state(name))!).equals(Buffer.from((await store.log.state(name))!))).toBe(true)
    }
    await store.close()
  })

  it('a finding reported twice keeps its first report, on a first scan and on a rescan, on every replica', async () => {
    const store = await AgentStore.open(join(dir, 'b'))
    const twice = (n: number) => [finding(n), finding(n + 1), finding(n, { severity: 'critical', line: 9 })]
    await writeScan(store, author, { findings: twice(1), packages: [], durationMs: 1 }, 1000)
    await writeScan(store, author, { findings: [...twice(1), ...twice(10)], packages: [], durationMs: 1 }, 2000)
    const doc = (await store.log.doc(findingsDoc(author.peerId)))!
    expect(doc.getMap(FINDINGS).get('id1')).toMatchObject({ severity: 'high', firstSeen: 1000 })
    expect(doc.getMap(FINDINGS).get('id10')).toMatchObject({ severity: 'high', firstSeen: 2000 })
    expect(doc.getMap(FINDINGS).size).toBe(4)
    const replica = new EnvelopeLog(new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }) as unknown as Store)
    const envs: Uint8Array[] = []
    for await (const e of store.log.read(findingsDoc(author.peerId), author.peerId)) envs.push(e)
    await replica.appendMany(envs, { rights: { hubs: new Set() } })
    expect((await replica.doc(findingsDoc(author.peerId)))!.getMap(FINDINGS).toJSON()).toEqual(doc.getMap(FINDINGS).toJSON())
    await store.close()
  })
})
