import { describe, it, expect } from 'vitest'
import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryLevel } from 'memory-level'
import type { Finding } from '../../crdt/index.ts'
import { createEnricher } from './enricher.ts'
import { openHubDb, type HubDbOptions } from './hub-db.ts'

const FIX = join(import.meta.dirname, 'fixtures')
const DEMO = join(import.meta.dirname, '../../scripts/demo/advisories.jsonl')

function memory(): HubDbOptions {
  const store = new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' })
  return { newId: () => 'test', level: () => store }
}

const lodash: Finding = { id: 'f1', kind: 'vuln', rule: 'GHSA-35jh-r3h4-6jhm', aliases: ['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'], severity: 'high', score: 7.2, ecosystem: 'npm', package: 'lodash', version: '4.17.20', fixedIn: ['4.17.21'], path: 'web/package-lock.json' }

describe('enricher', () => {
  it('scores from the vector, adds EPSS and KEV of the CVE alias, and the documented risk', async () => {
    const db = await openHubDb('/x', memory())
    try {
      await db.importAdvisories([DEMO])
      await db.importEpss(join(FIX, 'epss-sample.csv'))
      const enricher = createEnricher(db)
      const secret: Finding = { id: 's1', kind: 'secret', rule: 'aws-access-key', severity: 'high', path: '.env' }
      // The agent's score is ignored when the hub can score the vector itself.
      const [e, s, unknown] = await enricher.enrich([{ ...lodash, score: 1 }, secret, { ...lodash, id: 'f2', rule: 'GHSA-none', aliases: ['GHSA-none'], score: 5.3, severity: 'medium' }])
      expect(e).toEqual({
        id: 'f1', cves: ['CVE-2021-23337'],
        cvss: { score: 7.2, vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', version: 'cvss3' },
        epss: { cve: 'CVE-2021-23337', epss: 0.01059, percentile: 0.77108, date: '2025-06-01' },
        risk: 36.6,
      })
      expect(s).toEqual({ id: 's1', cves: [], risk: 60 })
      // An advisory the hub does not hold falls back to the finding's own score, EPSS unknown.
      expect(unknown).toEqual({ id: 'f2', cves: [], risk: 26.8 })
      expect(enricher.cached).toBe(2)

      // KEV arrives: the generation changes, the cache is dropped, the tier changes.
      await db.importKev(join(FIX, 'kev-sample.json'))
      const [k] = await enricher.enrich([lodash])
      expect(k!.kev).toMatchObject({ cve: 'CVE-2021-23337', dateAdded: '2025-05-01', ransomware: false })
      expect(k!.risk).toBe(90.8)
    } finally {
      await db.close()
    }
  })

  it('looks each advisory group up once, however many findings share it', async () => {
    const calls = { get: 0, epss: 0 }
    const enricher = createEnricher({
      generation: () => 'g',
      advisories: { get: async () => { calls.get++; return undefined } },
      epssOfMany: async (c) => { calls.epss++; return c.map(() => ({ epss: 0.5, percentile: 0.99, date: '2025-06-01' })) },
      kevOfMany: async (c) => c.map(() => undefined),
    })
    const many = Array.from({ length: 10_000 }, (_, i) => ({ ...lodash, id: `f${i}` }))
    const out = await enricher.enrich(many)
    expect(out).toHaveLength(10_000)
    expect(out[9_999]).toMatchObject({ id: 'f9999', epss: { epss: 0.5 } })
    expect(calls).toEqual({ get: 1, epss: 1 })
    await enricher.enrich(many)
    expect(calls).toEqual({ get: 1, epss: 1 })
  })
})
