// One measured step of bench:hub-rematch, in its own process so its peak RSS (worker
// threads included) is its own.
//   node hub-rematch-run.ts prepare <work> <osv.jsonl…> | rematch <work> | enrich <work>
import { createReadStream, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Finding } from '../../crdt/index.ts'
import { applySuppressions, createEnricher, createRematcher, openHubDb, upgradeAdvice, type VexStatement } from '../../hub/index.ts'
import type { Package } from '../../protocol/index.ts'

const [mode, work, ...args] = process.argv.slice(2) as [string, string, ...string[]]
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024)
const AGENTS = 1_000
const PER_AGENT = 1_000
/** Share of an inventory's entries drawn from packages some advisory lists. */
const LISTED_SHARE = 0.05

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
}

type Universe = [ecosystem: string, name: string, versions: string[]][]

if (mode === 'prepare') {
  const t0 = performance.now()
  // Packages the advisories name, with versions they list or bound ranges with.
  const universe = new Map<string, [string, string, Set<string>]>()
  const cves = new Set<string>()
  for (const src of args) {
    for await (const line of createInterface({ input: createReadStream(src), crlfDelay: Infinity })) {
      if (!line.trim()) continue
      const r = JSON.parse(line)
      for (const a of [r.id, ...(r.aliases ?? [])]) if (/^CVE-\d{4}-\d+$/.test(a)) cves.add(a)
      for (const a of r.affected ?? []) {
        if (!a.package || !/^(npm|PyPI|Go)$/.test(a.package.ecosystem)) continue
        const key = `${a.package.ecosystem}\0${a.package.name}`
        let u = universe.get(key)
        if (!u) universe.set(key, (u = [a.package.ecosystem, a.package.name, new Set()]))
        for (const v of (a.versions ?? []).slice(-6)) u[2].add(v)
        for (const range of a.ranges ?? []) for (const e of range.events ?? []) for (const v of Object.values(e)) if (v !== '0' && u[2].size < 12) u[2].add(String(v))
      }
    }
  }
  const list: Universe = [...universe.values()].filter((u) => u[2].size > 0).map(([e, n, v]) => [e, n, [...v]])
  writeFileSync(join(work, 'universe.json'), JSON.stringify(list))
  const db = await openHubDb(join(work, 'advisories'))
  const imp = await db.importAdvisories(args)
  const importMs = performance.now() - t0
  // EPSS: every CVE the advisories name, filled up to the size of FIRST's daily file.
  const random = rng(7)
  const lines = ['#model_version:v2025.03.14,score_date:2025-06-01T00:00:00+0000', 'cve,epss,percentile']
  for (const c of cves) lines.push(`${c},${(random() ** 6).toFixed(5)},${random().toFixed(5)}`)
  for (let i = 0; lines.length < 250_002; i++) lines.push(`CVE-2099-${String(100000 + i)},${(random() ** 6).toFixed(5)},${random().toFixed(5)}`)
  writeFileSync(join(work, 'epss.csv'), lines.join('\n') + '\n')
  const kev = [...cves].filter(() => random() < 0.05).slice(0, 1_400).map((cveID) => ({ cveID, vendorProject: 'v', product: 'p', dateAdded: '2024-01-01', dueDate: '2024-01-22', knownRansomwareCampaignUse: random() < 0.2 ? 'Known' : 'Unknown' }))
  writeFileSync(join(work, 'kev.json'), JSON.stringify({ catalogVersion: 'bench', vulnerabilities: kev }))
  const e0 = performance.now()
  const epss = await db.importEpss(join(work, 'epss.csv'))
  const epssMs = performance.now() - e0
  await db.importKev(join(work, 'kev.json'))
  await db.close()
  console.log(JSON.stringify({ records: imp.reduce((n, s) => n + s.added + s.updated + s.unchanged, 0), importMs, packages: list.length, epssLines: epss.imported, epssMs, rssMb: rss() }))
} else {
  const universe = JSON.parse(readFileSync(join(work, 'universe.json'), 'utf8')) as Universe
  /** Agent inventories generated one at a time, as the hub would load them from their docs. */
  async function* inventories(): AsyncGenerator<readonly [string, Package[]]> {
    const random = rng(42)
    for (let a = 0; a < AGENTS; a++) {
      const packages: Package[] = []
      for (let i = 0; i < PER_AGENT; i++) {
        if (random() < LISTED_SHARE) {
          const [ecosystem, name, versions] = universe[Math.floor(random() * universe.length)]!
          const source = ecosystem === 'npm' ? 'web/package-lock.json' : ecosystem === 'PyPI' ? 'api/poetry.lock' : 'svc/go.mod'
          packages.push({ ecosystem, name, version: versions[Math.floor(random() * versions.length)]!, source })
        } else {
          const n = Math.floor(random() * 20_000)
          packages.push({ ecosystem: n % 3 === 0 ? 'PyPI' : 'npm', name: `bench-pkg-${n}`, version: `1.${n % 17}.${i % 5}`, source: 'web/package-lock.json' })
        }
      }
      yield [`agent-${String(a).padStart(4, '0')}`, packages]
      // Let the event loop turn as a hub serving its API would.
      await new Promise((r) => setImmediate(r))
    }
  }
  const db = await openHubDb(join(work, 'advisories'), {})
  const rematcher = createRematcher()
  // The event loop's worst stall during the re-match: what an API request would wait.
  let lastTick = performance.now()
  let maxStall = 0
  const ticker = setInterval(() => { const now = performance.now(); maxStall = Math.max(maxStall, now - lastTick - 10); lastTick = now }, 10)
  const all: Finding[] = []
  const t0 = performance.now()
  let findings = 0
  const r = await rematcher.rematch(inventories(), db.advisories, {
    onAgent: (agent, list) => { findings += list.length; if (mode === 'enrich') for (const f of list) all.push(Object.assign(f, { agent })) },
  })
  const rematchMs = performance.now() - t0
  clearInterval(ticker)
  await rematcher.close()
  if (mode === 'rematch') {
    console.log(JSON.stringify({ entries: r.stats.entries, matchedEntries: r.stats.matchedEntries, agents: r.stats.agents, findings, ms: rematchMs, maxStallMs: maxStall, rssMb: rss() }))
  } else {
    const enricher = createEnricher(db)
    const e0 = performance.now()
    const risks: number[] = []
    for (let i = 0; i < all.length; i += 10_000) for (const e of await enricher.enrich(all.slice(i, i + 10_000))) risks.push(e.risk)
    const enrichMs = performance.now() - e0
    const u0 = performance.now()
    const advice = upgradeAdvice(all.map((f, i) => ({ agent: (f as Finding & { agent: string }).agent, ecosystem: f.ecosystem!, package: f.package!, version: f.version!, fixedIn: f.fixedIn ?? [], id: f.id, risk: risks[i] })))
    const adviceMs = performance.now() - u0
    const statements: VexStatement[] = advice.slice(0, 200).map((a, i) => ({ id: `s${i}`, vulnerability: all.find((f) => f.package === a.package)!.rule, aliases: [], products: [{ id: `pkg:x/${a.package}` }], status: 'not_affected', justification: 'component_not_present' }))
    const s0 = performance.now()
    applySuppressions(all, statements, Date.now())
    const suppressMs = performance.now() - s0
    console.log(JSON.stringify({ findings: all.length, enrichMs, groups: enricher.cached, adviceMs, advice: advice.length, top: advice[0]?.text, suppressMs, rssMb: rss() }))
  }
  await db.close()
}
