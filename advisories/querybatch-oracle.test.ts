// Oracle: osv.dev's recorded /v1/querybatch answers (../shared/data/osv/
// osv-scanner-querybatch-oracle, from google/osv-scanner's test cassettes, Apache-2.0).
// Every local OSV record is put in an in-memory index by ecosystem and name; for each
// recorded query whose answer names a record held locally, our matches for that
// (ecosystem, name, version) must include it. A subset check: the local data and the
// recordings are of different dates, so osv.dev may know advisories we lack.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { baseEcosystem, normalizeName } from '../protocol/index.ts'
import { affects } from './match.ts'
import { parseOsvRecord, type OsvRecord } from './osv.ts'

const OSV = join(import.meta.dirname, '../../shared/data/osv')
const ORACLE = join(OSV, 'osv-scanner-querybatch-oracle/querybatch-oracle.json')

interface OracleEntry { ecosystem: string, name: string, version: string, vuln_ids: string[] }

/** Every OSV record in the data folders' JSON lines, once per id; other formats are counted and left out. */
function loadRecords(): { records: Map<string, OsvRecord>, refused: number } {
  const records = new Map<string, OsvRecord>()
  let refused = 0
  for (const dir of readdirSync(OSV)) {
    if (!existsSync(join(OSV, dir)) || dir.includes('.')) continue
    for (const file of readdirSync(join(OSV, dir)).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(OSV, dir, file), 'utf8').split('\n')) {
        if (line.trim() === '') continue
        try {
          const r = parseOsvRecord(JSON.parse(line))
          records.set(r.id, r)
        } catch {
          refused++
        }
      }
    }
  }
  return { records, refused }
}

function indexByPackage(records: Iterable<OsvRecord>): Map<string, OsvRecord[]> {
  const index = new Map<string, OsvRecord[]>()
  for (const r of records) {
    const keys = new Set(r.affected.flatMap((a) => (a.package ? [`${baseEcosystem(a.package.ecosystem)}\0${normalizeName(a.package.ecosystem, a.package.name)}`] : [])))
    for (const k of keys) index.set(k, [...(index.get(k) ?? []), r])
  }
  return index
}

describe.skipIf(!existsSync(ORACLE))('querybatch oracle: osv.dev\'s answers are among our matches', () => {
  it('finds every locally held advisory osv.dev returned', () => {
    const { records, refused } = loadRecords()
    // The nodejs security-wg file is in npm's own advisory format, not OSV.
    expect(refused).toBe(468)
    expect(records.size).toBeGreaterThan(6900)
    const index = indexByPackage(records.values())
    const { entries } = JSON.parse(readFileSync(ORACLE, 'utf8')) as { entries: OracleEntry[] }
    expect(entries).toHaveLength(960)
    let queries = 0
    let expected = 0
    const missing: string[] = []
    const byEcosystem: Record<string, number> = {}
    for (const e of entries) {
      const held = e.vuln_ids.filter((id) => records.has(id))
      if (held.length === 0) continue
      queries++
      byEcosystem[baseEcosystem(e.ecosystem)] = (byEcosystem[baseEcosystem(e.ecosystem)] ?? 0) + 1
      const pkg = { ecosystem: e.ecosystem, name: e.name, version: e.version, source: 'oracle' }
      const candidates = index.get(`${baseEcosystem(e.ecosystem)}\0${normalizeName(e.ecosystem, e.name)}`) ?? []
      const ours = new Set(candidates.filter((r) => affects(r, pkg) !== undefined).map((r) => r.id))
      for (const id of held) {
        expected++
        if (!ours.has(id)) missing.push(`${e.ecosystem} ${e.name}@${e.version}: ${id}`)
      }
    }
    expect({ queries, expected, byEcosystem }).toEqual({
      queries: 41,
      expected: 390,
      byEcosystem: { Alpine: 6, Debian: 4, Go: 11, Maven: 3, Packagist: 3, PyPI: 13, npm: 1 },
    })
    expect(missing).toEqual([])
  })
})
