// npm run bench:scan — advisory import, a cold scan of 10,000 lockfiles (> 1M packages)
// beside a read-and-JSON.parse baseline of the same bytes, rescans of the unchanged tree (the
// first, which leaves the scan memo, and the median of the five after it, which read it), and
// the first scan after the advisories changed (every cached file matched again). Each step runs in its own process (peak RSS per step).
import { medianBy, runStep } from './step.ts'
import { cpSync, existsSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ensureTree, SCAN_WORK, SHARED_DATA, treeAdvisories } from './scan-tree.ts'
import { environmentFor, memorySettings } from '../../bin/memory-settings.js'

const DATA = SHARED_DATA
if (!existsSync(DATA)) { console.log(`bench:scan needs ${DATA}`); process.exit(0) }
const work = SCAN_WORK
const tree = ensureTree(join(work, 'tree'), DATA)
const db = join(work, 'db')
const cache = join(work, 'cache')
rmSync(db, { recursive: true, force: true })
rmSync(cache, { recursive: true, force: true })

// A scan step starts as `zt scan` does: with the V8 flags and environment bin/zt.js gives it.
const scanProcess = memorySettings(['scan'])!

function step(...args: string[]): Record<string, number> {
  return runStep('scan-run.ts', args, args[0] === 'scan' ? { v8: scanProcess.v8, env: environmentFor(scanProcess, process.env) } : {})
}

// A scan of the demo tree first, as a user's earlier `zt scan` would: Node's compile cache then
// holds the scanner's modules (bin/zt.js enables it for every command).
step('scan', resolve(import.meta.dirname, '../demo/tree'), join(work, 'warm-db'), join(work, 'warm-cache'))
rmSync(join(work, 'warm-db'), { recursive: true, force: true })
rmSync(join(work, 'warm-cache'), { recursive: true, force: true })
const imp = step('import', db, ...treeAdvisories(DATA))
// Twice, keeping the second: both sides then read from a warm page cache.
step('baseline', tree)
const base = step('baseline', tree)
const cold = step('scan', tree, db, cache)
// The first rescan reads no file and leaves the memo of the whole result (node/scan/scan-memo.ts);
// the next ones are answered by it. Each in a process of its own, as a user's next `zt scan` is;
// of the memo's, where this host's hiccups show (±10 ms a run), the median of five.
const first = step('scan', tree, db, cache)
const warms = Array.from({ length: 5 }, () => step('scan', tree, db, cache))
const warm = medianBy(warms, (w) => w.ms!)
// The advisories changed (imported again into a DB of their own: another generation), as
// after a `zt db import` or a hub's update: the next scan matches every cached file's
// packages again from their stored match keys, and stores the new findings. Twice, each from
// a copy of the rescanned cache.
const db2 = join(work, 'db-updated')
const rematchCache = join(work, 'cache-rematch')
rmSync(db2, { recursive: true, force: true })
step('import', db2, ...treeAdvisories(DATA))
const rematches = Array.from({ length: 2 }, () => {
  rmSync(rematchCache, { recursive: true, force: true })
  cpSync(cache, rematchCache, { recursive: true })
  return step('scan', tree, db2, rematchCache)
})
const rematch = medianBy(rematches, (w) => w.ms!)
rmSync(rematchCache, { recursive: true, force: true })
rmSync(db2, { recursive: true, force: true })

const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d })
const pps = (p: number, ms: number) => p / (ms / 1000)
console.log(`advisory import (Go + PyPI): ${f(imp.records!)} records in ${f(imp.ms!)} ms = ${f(pps(imp.records!, imp.ms!))} records/s, peak RSS ${imp.rssMb} MB`)
console.log(`tree: ${f(cold.files!)} lockfiles, ${f(cold.packages!)} packages, ${f(cold.findings!)} findings, ${cold.errors} errors`)
console.log(`baseline read + JSON.parse: ${f(base.ms!)} ms = ${f(pps(base.packages!, base.ms!))} packages/s, peak RSS ${base.rssMb} MB`)
console.log(`cold scan (parse + match):  ${f(cold.ms!)} ms = ${f(pps(cold.packages!, cold.ms!))} packages/s, peak RSS ${cold.rssMb} MB, ratio to baseline ${(pps(cold.packages!, cold.ms!) / pps(base.packages!, base.ms!)).toFixed(2)}`)
console.log(`advisory DB open: ${f(cold.openMs!, 1)} ms`)
console.log(`rescan, unchanged tree:     ${f(warm.ms!)} ms (${(100 * warm.ms! / cold.ms!).toFixed(1)}% of cold; median of ${warms.map((w) => f(w.ms!)).join(', ')} ms; ${f(warm.cached!)} files from cache), peak RSS ${warm.rssMb} MB`)
console.log(`  the first one after the cold scan, from the cache's entries (leaves the memo the others read): ${f(first.ms!)} ms (${(100 * first.ms! / cold.ms!).toFixed(1)}% of cold), peak RSS ${first.rssMb} MB`)
console.log(`first scan after the advisories changed (every cached file matched again): ${f(rematch.ms!)} ms (${f(pps(rematch.packages!, rematch.ms!))} packages/s, ${(100 * rematch.ms! / cold.ms!).toFixed(0)}% of cold; ${rematches.map((w) => f(w.ms!)).join(', ')} ms), ${f(rematch.findings!)} findings, peak RSS ${rematch.rssMb} MB`)
