// Real-data oracles (../shared/data/osv): PyPI records' listed versions must evaluate as
// affected under their own ECOSYSTEM ranges (a PEP 440 oracle), and osv.dev's recorded
// answers must be among ours wherever the advisory is in the local data (a subset check).
import { describe, it, expect } from 'vitest'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { baseEcosystem, normalizeName } from '../protocol/index.ts'
import { affects, inRange } from './match.ts'
import { parseOsvRecord, type OsvRecord } from './osv.ts'
import { comparatorFor } from './versions/index.ts'

const OSV = join(import.meta.dirname, '../../shared/data/osv')

function loadJsonl(path: string): OsvRecord[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => parseOsvRecord(JSON.parse(l)))
}

describe.skipIf(!existsSync(OSV))('advisory oracles (../shared/data/osv)', () => {
  it('every listed version of every PyPI record is affected under its own ranges', () => {
    const records = loadJsonl(join(OSV, 'pypi-pypa-advisory-database/pypa-osv.jsonl'))
    const cmp = comparatorFor('PyPI')!
    let checked = 0
    const failures: string[] = []
    for (const r of records) {
      for (const a of r.affected) {
        const ranges = a.ranges.filter((x) => x.type === 'ECOSYSTEM')
        if (ranges.length === 0) continue
        for (const v of a.versions) {
          checked++
          if (!ranges.some((x) => inRange(x, v, cmp).hit)) failures.push(`${r.id} ${a.package?.name} ${v}`)
        }
      }
    }
    expect(records.length).toBe(2661)
    expect(checked).toBeGreaterThan(50_000)
    // Upstream data that contradicts itself, kept out on purpose, each with its reason:
    const upstreamErrors = [
      // versions[] lists 23.9.0 although the range says fixed in 23.9.0.
      'PYSEC-2023-177 gevent 23.9.0', 'PYSEC-2023-177 gevent 23.9.0.post1',
      // versions[] lists pre-releases of 3.2 / 4.2 although the ranges start at the final 3.2 / 4.2.
      'PYSEC-2023-61 django 3.2a1', 'PYSEC-2023-61 django 3.2b1', 'PYSEC-2023-61 django 3.2rc1',
      'PYSEC-2023-61 django 4.2a1', 'PYSEC-2023-61 django 4.2b1', 'PYSEC-2023-61 django 4.2rc1',
    ]
    expect(failures.filter((f) => !upstreamErrors.includes(f))).toEqual([])
  })

  it('osv.dev querybatch answers are among ours where the advisory is in the local data', () => {
    const records = readdirSync(OSV).flatMap((d) => readdirSync(join(OSV, d)).filter((f) => f.endsWith('.jsonl') && !d.startsWith('npm-')).map((f) => join(OSV, d, f))).flatMap(loadJsonl)
    const byId = new Map(records.map((r) => [r.id, r]))
    const byPackage = new Map<string, OsvRecord[]>()
    for (const r of records) for (const a of r.affected) {
      if (!a.package) continue
      const k = `${baseEcosystem(a.package.ecosystem)}\0${normalizeName(a.package.ecosystem, a.package.name)}`
      byPackage.set(k, [...(byPackage.get(k) ?? []), r])
    }
    const { entries } = JSON.parse(readFileSync(join(OSV, 'osv-scanner-querybatch-oracle/querybatch-oracle.json'), 'utf8')) as { entries: { ecosystem: string, name: string, version: string, vuln_ids: string[] }[] }
    let compared = 0
    const missing: string[] = []
    for (const e of entries) {
      const local = e.vuln_ids.filter((id) => byId.has(id))
      if (local.length === 0) continue
      const pkg = { ecosystem: e.ecosystem, name: e.name, version: e.version, source: 'oracle' }
      const ours = new Set((byPackage.get(`${baseEcosystem(e.ecosystem)}\0${normalizeName(e.ecosystem, e.name)}`) ?? []).filter((r) => affects(r, pkg)).flatMap((r) => [r.id, ...r.aliases]))
      for (const id of local) { compared++; if (!ours.has(id)) missing.push(`${e.ecosystem} ${e.name}@${e.version}: ${id}`) }
    }
    expect(compared).toBeGreaterThan(20)
    expect(missing).toEqual([])
  })
})
