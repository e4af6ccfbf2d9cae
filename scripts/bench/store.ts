// npm run bench:store — the agent store: 100,000 findings from one scan into signed history
// (beside a bare classic-level batch of the same bytes), re-opening and materializing the
// findings doc, a no-change rescan, and an idle agent's RSS and CPU.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ClassicLevel } from 'classic-level'
import * as Y from 'yjs'
import { findingsDoc, FINDINGS, type Finding } from '../../crdt/index.ts'
import { createAgentKey } from '../../keys/index.ts'
import { AgentStore } from '../../node/index.ts'
import { writeScan } from '../../node/agent/scan-to-log.ts'

const N = 100_000
const dir = await mkdtemp(join(tmpdir(), 'zt-bench-store-'))
const identity = await createAgentKey(dir)
const author = { peerId: identity.peerId, seed: identity.seed }
const findings: Finding[] = Array.from({ length: N }, (_, i) => ({
  id: i.toString(16).padStart(32, '0'), kind: 'vuln', rule: `GHSA-${(i % 5000).toString(36)}-xxxx-yyyy`, aliases: [`GHSA-${(i % 5000).toString(36)}-xxxx-yyyy`, `CVE-2024-${i % 9000}`],
  severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4], score: 5 + (i % 50) / 10, ecosystem: 'npm', package: `pkg-${i % 20000}`, version: `1.${i % 40}.0`,
  fixedIn: [`1.${i % 40}.1`], path: `services/svc-${i % 500}/package-lock.json`,
}))

// 1. One scan's 100,000 findings into the store.
let store = await AgentStore.open(dir)
let t = performance.now()
const written = await writeScan(store, author, { findings, packages: [], durationMs: 0 }, Date.now())
const writeMs = performance.now() - t
const sizes = await store.log.sizeOf(findingsDoc(author.peerId))
await store.close()

// Baseline: a bare classic-level batch of the same encoded bytes (envelope + state).
const bare = new ClassicLevel<string, Uint8Array>(join(dir, 'bare'), { valueEncoding: 'view' })
const state = (() => { const d = new Y.Doc(); const m = d.getMap(FINDINGS); d.transact(() => { for (const f of findings) m.set(f.id, f) }); return Y.encodeStateAsUpdate(d) })()
t = performance.now()
await bare.batch([{ type: 'put', key: 'env', value: new Uint8Array(sizes.bytes) }, { type: 'put', key: 'state', value: state }])
const bareMs = performance.now() - t
await bare.close()

// 2. Re-open and materialize the findings doc.
const heapBefore = process.memoryUsage().heapUsed
t = performance.now()
store = await AgentStore.open(dir)
const doc = (await store.log.doc(findingsDoc(author.peerId)))!
const openMs = performance.now() - t
const materialized = doc.getMap(FINDINGS).size
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6

// 3. A no-change rescan.
t = performance.now()
const again = await writeScan(store, author, { findings, packages: [], durationMs: 0 }, Date.now())
const rescanMs = performance.now() - t
await store.close()

console.log(`100,000 findings into the store: ${writeMs.toFixed(0)} ms = ${Math.round(N / (writeMs / 1000)).toLocaleString('en-US')} findings/s (${written.appendedBytes} bytes of envelopes)`)
console.log(`bare classic-level batch of the same bytes: ${bareMs.toFixed(0)} ms; ratio ${(bareMs / writeMs).toFixed(2)} (ours relative to bare throughput)`)
console.log(`re-open + materialize ${materialized.toLocaleString('en-US')} findings: ${openMs.toFixed(0)} ms, heap +${heapMb.toFixed(0)} MB`)
console.log(`no-change rescan: ${again.appendedBytes} bytes appended in ${rescanMs.toFixed(0)} ms`)

// 4. An idle agent: a real process with its own data dir, after its first scan.
const empty = await mkdtemp(join(tmpdir(), 'zt-bench-empty-'))
const idleDir = await mkdtemp(join(tmpdir(), 'zt-bench-idle-'))
await createAgentKey(idleDir)
const zt = resolve(import.meta.dirname, '../../bin/zt.js')
const child = spawn(process.execPath, [zt, 'agent', 'run', '--data', idleDir, '--scan', empty, '--interval', '1h'], { stdio: 'ignore' })
for (let i = 0; i < 100; i++) {
  const s = execFileSync(process.execPath, [zt, 'agent', 'status', '--data', idleDir, '--json'], { encoding: 'utf8' })
  if (JSON.parse(s).running && JSON.parse(s).lastScan) break
  await new Promise((r) => setTimeout(r, 200))
}
await new Promise((r) => setTimeout(r, 1000))
const ticks = () => { const f = execFileSync('cat', [`/proc/${child.pid}/stat`], { encoding: 'utf8' }).split(' '); return Number(f[13]) + Number(f[14]) }
const t0 = ticks()
await new Promise((r) => setTimeout(r, 5000))
const cpu = (ticks() - t0) / 100 / 5
const rssKb = Number(/VmRSS:\s+(\d+)/.exec(execFileSync('cat', [`/proc/${child.pid}/status`], { encoding: 'utf8' }))![1])
child.kill('SIGTERM')
console.log(`idle agent: RSS ${(rssKb / 1024).toFixed(0)} MB, CPU ${(cpu * 100).toFixed(2)}% over 5 s`)
await rm(empty, { recursive: true, force: true })
await rm(idleDir, { recursive: true, force: true })
await rm(dir, { recursive: true, force: true })
