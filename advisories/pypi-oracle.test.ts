// Oracle: pypa/advisory-database (../shared/data/osv/pypi-pypa-advisory-database, CC-BY-4.0).
// osv.dev enumerated each record's versions[] from its ECOSYSTEM ranges, so every listed
// version must come out affected when the ranges alone are evaluated — a PEP 440 (and
// LegacyVersion) ordering check over ~140,000 real versions.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseOsvRecord } from './osv.ts'
import { evaluateRange, prepareRange } from './range-evaluation.ts'
import { pep440 } from './versions/pep440.ts'

const FILE = join(import.meta.dirname, '../../shared/data/osv/pypi-pypa-advisory-database/pypa-osv.jsonl')

/** Where the upstream data contradicts itself; each is left out on purpose, with its reason. */
const UPSTREAM_CONTRADICTIONS = [
  // One range holds overlapping intervals ([2.11, 2.11.7) and [0, 2.11.6)); evaluated sorted,
  // as the schema says, fixed 2.11.6 closes both. The schema asks ranges not to overlap.
  'PYSEC-2021-114 wagtail 2.11.6',
  // versions[] lists the fixed version itself and its post-release.
  'PYSEC-2023-177 gevent 23.9.0',
  'PYSEC-2023-177 gevent 23.9.0.post1',
  // versions[] lists pre-releases of 3.2 and 4.2, which PEP 440 orders before the ranges'
  // `introduced: 3.2` and `introduced: 4.2`.
  'PYSEC-2023-61 django 3.2a1', 'PYSEC-2023-61 django 3.2b1', 'PYSEC-2023-61 django 3.2rc1',
  'PYSEC-2023-61 django 4.2a1', 'PYSEC-2023-61 django 4.2b1', 'PYSEC-2023-61 django 4.2rc1',
]

describe.skipIf(!existsSync(FILE))('PyPI oracle: pypa advisory-database versions[] lie in their own ECOSYSTEM ranges', () => {
  it('holds for every listed version but the known upstream contradictions', () => {
    let records = 0
    let entries = 0
    let versions = 0
    let legacy = 0
    const outside: string[] = []
    for (const line of readFileSync(FILE, 'utf8').split('\n')) {
      if (line.trim() === '') continue
      const record = parseOsvRecord(JSON.parse(line))
      records++
      for (const a of record.affected) {
        const ranges = a.ranges.filter((r) => r.type === 'ECOSYSTEM').map((r) => prepareRange(r, pep440))
        if (ranges.length === 0) continue
        entries++
        for (const v of a.versions) {
          versions++
          const parsed = pep440.parse(v)
          if (parsed.legacy !== null) legacy++
          if (!ranges.some((r) => evaluateRange(r, parsed) !== undefined)) outside.push(`${record.id} ${a.package?.name} ${v}`)
        }
      }
    }
    expect(records).toBe(2661)
    expect(entries).toBe(2659)
    expect(versions).toBe(140_846)
    // Old uploads outside PEP 440 (2.0.0-final, 0.3m1, …) are in the check too.
    expect(legacy).toBeGreaterThan(100)
    expect(outside).toEqual(UPSTREAM_CONTRADICTIONS)
  })
})
