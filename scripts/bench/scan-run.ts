// One measured step of bench:scan, in its own process so its peak RSS is its own.
//   node scan-run.ts import <db> <source…> | baseline <tree> | scan <tree> <db> <cache>
import { readFileSync } from 'node:fs'
import { enableCompileCache } from 'node:module'
import fg from 'fast-glob'
import { openAdvisoryDb } from '../../advisories/index.ts'
import { ScanCache, scan } from '../../node/index.ts'

// As bin/zt.js runs `zt scan`: compiled modules from Node's cache, so neither this thread nor
// the workers hold the TypeScript stripper (bench:scan warms the cache first).
enableCompileCache()
const [mode, ...args] = process.argv.slice(2)
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024)
const t0 = performance.now()

if (mode === 'import') {
  const db = await openAdvisoryDb(args[0]!)
  let records = 0
  for (const src of args.slice(1)) { const s = await db.import(src); records += s.added + s.updated + s.unchanged }
  await db.close()
  console.log(JSON.stringify({ records, ms: performance.now() - t0, rssMb: rss() }))
} else if (mode === 'baseline') {
  // Only read and JSON.parse the same bytes, counting package entries the cheap way.
  let packages = 0
  for (const f of await fg('**/*.json', { cwd: args[0]!, absolute: true }).then((x) => x.concat(fg.sync('**/*.lock', { cwd: args[0]!, absolute: true })))) {
    const doc = JSON.parse(readFileSync(f, 'utf8'))
    packages += Object.keys(doc.packages ?? doc.default ?? doc.dependencies?.['net8.0'] ?? {}).length + (Array.isArray(doc.packages) ? 0 : 0)
  }
  console.log(JSON.stringify({ packages, ms: performance.now() - t0, rssMb: rss() }))
} else if (mode === 'scan') {
  const openStart = performance.now()
  const db = await openAdvisoryDb(args[1]!)
  const openMs = performance.now() - openStart
  const cache = await ScanCache.open(args[2]!)
  const start = performance.now()
  const r = await scan({ roots: [args[0]!], advisories: db, cache, secrets: false, inventory: false, ...(process.env.ZT_THREADS ? { threads: Number(process.env.ZT_THREADS) } : {}) })
  const ms = performance.now() - start
  await cache.close()
  await db.close()
  console.log(JSON.stringify({ packages: r.stats.packages, findings: r.findings.length, files: r.stats.files, examined: r.stats.examined, cached: r.stats.cached, errors: r.errors.length, ms, openMs, rssMb: rss() }))
}
