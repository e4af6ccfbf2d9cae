// Findings → what the hub adds to them (the `<tenant>/enrich` doc's values): the CVSS base
// score computed from the advisory's vectors, EPSS and KEV of its CVE aliases, and the
// risk score. Work is per vulnerability, not per finding: a million findings share a few
// thousand advisory groups, each looked up once and cached until the DB's generation changes.
import { severityOf, type OsvRecord, type SeverityInfo } from '../../advisories/index.ts'
import type { Finding } from '../../crdt/index.ts'
import { CVE_ID, type EpssScore } from './epss-csv.ts'
import type { KevEntry } from './kev-json.ts'
import { riskScore } from './risk.ts'

/** What enrichment reads: the hub's HubDb, or anything with the same lookups. */
export interface EnrichSource {
  advisories: { get(id: string): Promise<OsvRecord | undefined> }
  epssOfMany(cves: string[]): Promise<(EpssScore | undefined)[]>
  kevOfMany(cves: string[]): Promise<(KevEntry | undefined)[]>
  generation(): string
}

export interface Enrichment {
  /** The finding's id. */
  id: string
  risk: number
  /** Highest-scored vector of the advisory group, scored here. */
  cvss?: { score: number, vector: string, version: 'cvss4' | 'cvss3' }
  /** The highest EPSS among the CVE aliases. */
  epss?: EpssScore & { cve: string }
  /** The first CVE alias CISA lists (ransomware use preferred). */
  kev?: KevEntry & { cve: string }
  /** CVE ids among the finding's rule and aliases. */
  cves: string[]
}

/** What the findings index keeps of an enrichment: the risk, and whether CISA's KEV catalog lists it. */
export function scoreOf(e: Enrichment): { risk: number, kev: boolean } {
  return { risk: e.risk, kev: e.kev !== undefined }
}

type PerVuln = Omit<Enrichment, 'id' | 'risk'>

const vulnKey = (f: Finding) => (f.aliases && f.aliases.length > 0 ? f.aliases.join('\u0000') : f.rule)

export interface Enricher {
  /** Enrichment of each finding, in order. */
  enrich(findings: readonly Finding[]): Promise<Enrichment[]>
  /** Cached advisory groups. */
  readonly cached: number
}

export interface EnricherOptions {
  /** Advisory groups cached at most (default 100,000, a few hundred bytes each). */
  cacheSize?: number
}

export function createEnricher(source: EnrichSource, opts: EnricherOptions = {}): Enricher {
  const limit = opts.cacheSize ?? 100_000
  let cache = new Map<string, PerVuln>()
  let generation = source.generation()

  async function resolve(keys: Map<string, Finding>): Promise<void> {
    const todo = [...keys].map(([key, f]) => ({ key, ids: [...new Set([f.rule, ...(f.aliases ?? [])])], score: f.score }))
    const cves = [...new Set(todo.flatMap((t) => t.ids.filter((id) => CVE_ID.test(id))))]
    const [epss, kev, records] = await Promise.all([
      source.epssOfMany(cves), source.kevOfMany(cves),
      Promise.all(todo.map((t) => Promise.all(t.ids.filter((id, j) => j === 0 || !CVE_ID.test(id)).map((id) => source.advisories.get(id))))),
    ])
    const epssBy = new Map(cves.map((c, i) => [c, epss[i]]))
    const kevBy = new Map(cves.map((c, i) => [c, kev[i]]))
    todo.forEach((t, i) => {
      const own = t.ids.filter((id) => CVE_ID.test(id))
      let best: SeverityInfo | undefined
      for (const r of records[i]!) {
        if (!r) continue
        const s = severityOf(r)
        if (s.score !== undefined && s.vector && (best?.score === undefined || s.score > best.score)) best = s
      }
      let e: (EpssScore & { cve: string }) | undefined
      let k: (KevEntry & { cve: string }) | undefined
      for (const cve of own) {
        const es = epssBy.get(cve)
        if (es && (!e || es.epss > e.epss)) e = { cve, ...es }
        const ks = kevBy.get(cve)
        if (ks && (!k || (ks.ransomware && !k.ransomware))) k = { cve, ...ks }
      }
      if (cache.size >= limit) cache.delete(cache.keys().next().value!)
      cache.set(t.key, {
        cves: own,
        ...(best ? { cvss: { score: best.score!, vector: best.vector!, version: best.source as 'cvss4' | 'cvss3' } } : {}),
        ...(e ? { epss: e } : {}), ...(k ? { kev: k } : {}),
      })
    })
  }

  return {
    get cached() { return cache.size },
    async enrich(findings) {
      const now = source.generation()
      if (now !== generation) { cache = new Map(); generation = now }
      const missing = new Map<string, Finding>()
      for (const f of findings) {
        if (f.kind !== 'vuln') continue
        const key = vulnKey(f)
        if (!cache.has(key) && !missing.has(key)) missing.set(key, f)
      }
      // Groups resolved in slices, so a huge first call does not fan out unbounded.
      const keys = [...missing]
      for (let i = 0; i < keys.length; i += 1_000) await resolve(new Map(keys.slice(i, i + 1_000)))
      const resolvedNow = new Map(keys.map(([k]) => [k, cache.get(k)]))
      return findings.map((f) => {
        if (f.kind !== 'vuln') return { id: f.id, cves: [], risk: riskScore({ kind: f.kind, severity: f.severity }) }
        const key = vulnKey(f)
        const v = cache.get(key) ?? resolvedNow.get(key) ?? { cves: [] }
        const cvss = v.cvss?.score ?? f.score
        return {
          id: f.id, ...v,
          risk: riskScore({ kind: 'vuln', severity: f.severity, ...(cvss !== undefined ? { cvss } : {}), ...(v.epss ? { epss: v.epss.epss } : {}), kev: v.kev !== undefined, ransomware: v.kev?.ransomware === true }),
        }
      })
    },
  }
}
