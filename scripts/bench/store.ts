// npm run bench:store — the agent store: 100,000 findings from one scan into signed history
// (beside a bare classic-level batch of the same bytes), re-opening and materializing the
// findings doc, a no-change rescan, what the next reader pays after a large write, and an
// idle agent's RSS and CPU.
import './as-agent.ts'
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { findingsDoc, type Finding } from '../../crdt/index.ts'
import { createAgentKey } from '../../keys/index.ts'
import { AgentStore } from '../../node/index.ts'
import { writeScan } from '../../node/agent/scan-to-log.ts'
import { medianBy, runStep } from './step.ts'
import { ensureTree, SCAN_WORK, SHARED_DATA, treeAdvisories } from './scan-tree.ts'
import { openAdvisoryDb } from '../../advisories/index.ts'
import { pageOutFileMappings } from '../../protocol/native-memory.ts'
import { memorySettings } from '../../bin/memory-settings.js'

const N = 100_000
const dir = await mkdtemp(join(tmpdir(), 'zt-bench-store-'))
const identity = await createAgentKey(dir)
const author = { peerId: identity.peerId, seed: identity.seed }
const findings: Finding[] = Array.from({ length: N }, (_, i) => ({
  id: i.toString(16).padStart(32, '0'), kind: 'vuln', rule: `GHSA-${(i % 5000).toString(36)}-xxxx-yyyy`, aliases: [`GHSA-${(i % 5000).toString(36)}-xxxx-yyyy`, `CVE-2024-${i % 9000}`],
  severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4], score: 5 + (i % 50) / 10, ecosystem: 'npm', package: `pkg-${i % 20000}`, version: `1.${i % 40}.0`,
  fixedIn: [`1.${i % 40}.1`], path: `services/svc-${i % 500}/package-lock.json`,
}))

// 1. One scan's 100,000 findings into the store, in a fresh store each of RUNS runs (the
// median is reported: this machine's other work makes single runs noisy). The baseline is a
// bare classic-level batch of exactly the entries that write left in the store (envelopes,
// chain head, any checkpoint: the same keys and bytes), into a fresh database, in the same run.
// The entries are read back after the first write, and again only after a write that left
// another number of bytes (the writes differ in timestamps and signatures, whose encodings
// can take a byte more or less; the keys are the same): reading them back after every write
// left 32 MB of buffers to collect during the next one (its CPU ~150 against ~120 ms, the
// later runs up to 150 ms with a full collection of the bench's own heap in them).
const RUNS = 7
const runs: { writeMs: number, cpuMs: number, closeMs: number, bareMs: number, appended: number, stored: number }[] = []
let entries: { type: 'put', key: string, value: Uint8Array }[] = []
let entriesOf = -1
for (let r = 0; r < RUNS; r++) {
  const runDir = join(dir, `run-${r}`)
  const s = await AgentStore.open(runDir)
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const w = await writeScan(s, author, { findings, packages: [], durationMs: 0 }, Date.now())
  const writeMs = performance.now() - t0
  const { user, system } = process.cpuUsage(cpu0)
  if (entriesOf < 0 || w.appendedBytes !== entriesOf) {
    entries = []
    for await (const [key, value] of s.db.iterator()) entries.push({ type: 'put', key, value })
    entriesOf = w.appendedBytes
  }
  const t1 = performance.now()
  await s.log.checkpointAll()
  const closeMs = performance.now() - t1
  await s.close()
  const bare = new ClassicLevel<string, Uint8Array>(join(runDir, 'bare'), { valueEncoding: 'view' })
  await bare.open()
  const t2 = performance.now()
  await bare.batch(entries)
  const bareMs = performance.now() - t2
  await bare.close()
  runs.push({ writeMs, cpuMs: (user + system) / 1000, closeMs, bareMs, appended: w.appendedBytes, stored: entries.reduce((a, e) => a + e.key.length + e.value.length, 0) })
  if (r > 0) await rm(runDir, { recursive: true, force: true })
}
const mid = medianBy(runs, (x) => x.writeMs)
const ratios = runs.map((x) => x.bareMs / x.writeMs)
const sizes = await (async () => { const s = await AgentStore.open(join(dir, 'run-0')); const z = await s.log.sizeOf(findingsDoc(author.peerId)); await s.close(); return z })()

// 2. Re-open and materialize the findings doc, each in a process of its own (this one holds
// five runs' input), both ways a store is re-opened, interleaved: an agent starting (`zt agent
// run`, with its V8 settings) and a command reading a stopped agent's store (`zt agent
// findings`, Node's defaults).
const REOPENS = 3
type Reopen = { ms: number, heapMb: number, size: number }
const agentStart: Reopen[] = []
const stoppedRead: Reopen[] = []
for (let i = 0; i < REOPENS; i++) {
  agentStart.push(runStep<Reopen>('store-reopen.ts', [join(dir, 'run-0'), author.peerId], { v8: memorySettings(['agent', 'run'])!.v8 }))
  stoppedRead.push(runStep<Reopen>('store-reopen.ts', [join(dir, 'run-0'), author.peerId]))
}
const reopen = medianBy(agentStart, (x) => x.ms)
const reread = medianBy(stoppedRead, (x) => x.ms)

// 3. A no-change rescan of the store re-opened here (the doc materialized first, untimed).
const store = await AgentStore.open(join(dir, 'run-0'))
await store.log.doc(findingsDoc(author.peerId))
let t = performance.now()
const again = await writeScan(store, author, { findings, packages: [], durationMs: 0 }, Date.now())
const rescanMs = performance.now() - t
await store.close()

// 4. Not part of the write: a large write leaves the findings doc to the log, and its next
// reader (a query, compaction, the next scan) materializes it. Measured last, in a fresh
// store, so the cost is in view without weighing on the figures above.
const fresh = await AgentStore.open(join(dir, 'after-write'))
await writeScan(fresh, author, { findings, packages: [], durationMs: 0 }, Date.now())
t = performance.now()
await fresh.log.doc(findingsDoc(author.peerId))
const nextReaderMs = performance.now() - t
await fresh.close()

const ms = (x: number) => x.toFixed(0)
console.log(`100,000 findings into the store: ${ms(mid.writeMs)} ms = ${Math.round(N / (mid.writeMs / 1000)).toLocaleString('en-US')} findings/s, median of ${RUNS} (${runs.map((x) => ms(x.writeMs)).join(', ')} ms; CPU of all threads ${runs.map((x) => ms(x.cpuMs)).join(', ')} ms); ${mid.appended} bytes of envelopes (${sizes.envelopes}), ${mid.stored} bytes stored`)
console.log(`checkpoint after the write (what close or the idle sweep would do): ${runs.map((x) => ms(x.closeMs)).join(', ')} ms`)
console.log(`bare classic-level batch of the same entries: ${runs.map((x) => ms(x.bareMs)).join(', ')} ms; ratio ${ratios.map((x) => x.toFixed(2)).join(', ')}, median ${medianBy(ratios, (x) => x).toFixed(2)} (ours relative to bare throughput, same run)`)
console.log(`re-open + materialize ${reopen.size.toLocaleString('en-US')} findings (a fresh process each), as an agent starts: ${ms(reopen.ms)} ms, median of ${agentStart.map((x) => ms(x.ms)).join(', ')} ms; heap +${reopen.heapMb.toFixed(0)} MB`)
console.log(`  the same read of a stopped agent's store (zt agent findings, Node's default flags): ${ms(reread.ms)} ms, median of ${stoppedRead.map((x) => ms(x.ms)).join(', ')} ms; heap +${reread.heapMb.toFixed(0)} MB`)
console.log(`no-change rescan: ${again.appendedBytes} bytes appended in ${rescanMs.toFixed(0)} ms`)
console.log(`the findings doc materialized right after a write, by its next reader (not part of the write): ${ms(nextReaderMs)} ms`)

// 5. An idle agent: a real process with its own data dir, after its first scan. Once over an
// empty directory (what the agent costs by itself), and, where ../shared is beside the repo,
// over 500 of bench:scan's lockfiles with the Go and PyPI advisories (what an agent keeps
// after a scan with real work in it). Each twice: started with this bench's Node, and with a
// copy of that binary, as on a host where the agent is the only process of its Node binary
// (a service started without npm): idle, the agent hands back the pages of its binary that no
// other process maps (protocol/native-memory.ts), and this bench's process and npm's, running
// the same binary, map many of them too, counted in both processes' RSS.
const zt = resolve(import.meta.dirname, '../../bin/zt.js')
const status = (data: string) => {
  // Between opening its store and serving its socket the agent answers neither way: asked again.
  try { return JSON.parse(execFileSync(process.execPath, [zt, 'agent', 'status', '--data', data, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) } catch { return {} }
}
type Idle = { rssMb: number, sharedMb: number, cpu: number, packages: number, findings: number }
async function idleAgent(node: string, roots: string[], db?: string): Promise<Idle> {
  const data = await mkdtemp(join(tmpdir(), 'zt-bench-idle-'))
  await createAgentKey(data)
  // What this bench's process touched so far is handed back first, as the agent will its own.
  pageOutFileMappings()
  const child = spawn(node, [zt, 'agent', 'run', '--data', data, ...(db ? ['--db', db] : []), ...roots.flatMap((r) => ['--scan', r]), '--interval', '1h'], { stdio: 'ignore' })
  let last: { packages: number, findings: number } | undefined
  for (let i = 0; i < 300 && !last; i++) {
    const s = status(data)
    if (s.running && s.lastScan) last = s.lastScan
    else await new Promise((r) => setTimeout(r, 200))
  }
  // Idle means settled: 2 s after a scan the agent releases its docs and runs one last-resort
  // GC (protocol/heap.ts giveBackMemory), which is post-scan work, not idling.
  await new Promise((r) => setTimeout(r, 4000))
  const ticks = () => { const f = execFileSync('cat', [`/proc/${child.pid}/stat`], { encoding: 'utf8' }).split(' '); return Number(f[13]) + Number(f[14]) }
  const t0 = ticks()
  await new Promise((r) => setTimeout(r, 5000))
  const cpu = (ticks() - t0) / 100 / 5
  const rollup = execFileSync('cat', [`/proc/${child.pid}/smaps_rollup`], { encoding: 'utf8' })
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)![1])
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  await rm(data, { recursive: true, force: true })
  return { rssMb: kb('Rss') / 1024, sharedMb: (kb('Shared_Clean') + kb('Shared_Dirty')) / 1024, cpu, packages: last?.packages ?? 0, findings: last?.findings ?? 0 }
}
const ownNode = join(dir, 'node')
copyFileSync(process.execPath, ownNode)
const idleLines = async (what: (r: Idle) => string, roots: string[], db?: string) => {
  const shared = await idleAgent(process.execPath, roots, db)
  const own = await idleAgent(ownNode, roots, db)
  console.log(`idle agent ${what(own)}: RSS ${own.rssMb.toFixed(0)} MB, CPU ${(own.cpu * 100).toFixed(2)}% over 5 s, as the only process of its Node binary; ` +
    `started with this bench's Node: RSS ${shared.rssMb.toFixed(0)} MB (${shared.sharedMb.toFixed(0)} MB of it pages this bench's and npm's processes map too), CPU ${(shared.cpu * 100).toFixed(2)}%`)
}
const empty = await mkdtemp(join(tmpdir(), 'zt-bench-empty-'))
await idleLines(() => '(after scanning an empty directory)', [empty])
await rm(empty, { recursive: true, force: true })
if (existsSync(SHARED_DATA)) {
  const tree = ensureTree(join(SCAN_WORK, 'tree'), SHARED_DATA)
  const advisories = join(dir, 'advisories')
  const adb = await openAdvisoryDb(advisories)
  for (const src of treeAdvisories(SHARED_DATA)) await adb.import(src)
  await adb.close()
  await idleLines((r) => `after scanning 500 of bench:scan's lockfiles (${r.packages.toLocaleString('en-US')} packages, ${r.findings.toLocaleString('en-US')} findings)`, Array.from({ length: 5 }, (_, i) => join(tree, `svc-${i}`)), advisories)
} else console.log(`idle agent after a scan with real work: needs ${SHARED_DATA}`)
await rm(dir, { recursive: true, force: true })
