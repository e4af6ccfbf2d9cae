import { afterAll, describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { MemoryLevel } from 'memory-level'
import { importIntoHubDb, openHubDb, type HubDbOptions } from './hub-db.ts'
import { parseEpssComment, parseEpssLine } from './epss-csv.ts'

const FIX = join(import.meta.dirname, 'fixtures')
const EPSS = join(FIX, 'epss-sample.csv')
const KEV = join(FIX, 'kev-sample.json')
const PYPI = join(import.meta.dirname, '../../../shared/data/osv/pypi-pypa-advisory-database/pypa-osv.jsonl')

const temps: string[] = []
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))))
async function tempDir() { const d = await mkdtemp(join(tmpdir(), 'zt-hubdb-')); temps.push(d); return d }
function memory(): HubDbOptions {
  const stores = new Map<string, MemoryLevel<string, Uint8Array>>()
  return {
    newId: () => 'test', now: () => Date.parse('2025-06-03T00:00:00Z'),
    level: (dir) => { let s = stores.get(dir); if (!s) stores.set(dir, (s = new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' }))); return s },
  }
}

describe('EPSS lines', () => {
  it('reads the comment line and data lines, naming what is wrong', () => {
    expect(parseEpssComment('#model_version:v2025.03.14,score_date:2025-06-01T12:55:00Z')).toEqual({ modelVersion: 'v2025.03.14', scoreDate: '2025-06-01' })
    expect(parseEpssLine('cve-2021-44228,0.94358,0.99968', 3)).toEqual({ cve: 'CVE-2021-44228', epss: 0.94358, percentile: 0.99968 })
    expect(parseEpssLine('CVE-2021-1,1e-05,0', 4)).toMatchObject({ line: 4, error: expect.stringMatching(/not a CVE id/) })
    expect(parseEpssLine('CVE-2021-0001,4e-05,0', 4)).toEqual({ cve: 'CVE-2021-0001', epss: 0.00004, percentile: 0 })
    expect(parseEpssLine('CVE-2021-0001,-0.1,0', 5)).toMatchObject({ error: expect.stringMatching(/epss/) })
    expect(parseEpssLine('CVE-2021-0001,0.1,1.5', 6)).toMatchObject({ error: expect.stringMatching(/percentile/) })
    expect(parseEpssLine('CVE-2021-0001,0x1,0.5', 7)).toMatchObject({ error: expect.stringMatching(/epss/) })
    expect(parseEpssLine('CVE-2021-0001,0.1', 8)).toMatchObject({ error: expect.stringMatching(/3 columns/) })
  })
})

describe('hub advisory DB', () => {
  it('imports EPSS (plain and gzip), counts and names bad lines, looks scores up by CVE', async () => {
    const db = await openHubDb('/hub/advisories', memory())
    try {
      const stats = await db.importEpss(EPSS)
      expect(stats).toMatchObject({ imported: 9, invalid: 3 })
      expect(stats.errors.map((e) => e.where)).toEqual(['line 11', 'line 12', 'line 13'])
      expect(await db.epssOf('CVE-2021-44228')).toEqual({ epss: 0.94358, percentile: 0.99968, date: '2025-06-01' })
      expect(await db.epssOf('cve-2021-23337')).toMatchObject({ epss: 0.01059 })
      expect(await db.epssOf('CVE-1999-0001')).toBeUndefined()
      expect((await db.status()).epss).toMatchObject({ generation: 1, count: 9, invalid: 3, date: '2025-06-01', version: 'v2025.03.14' })

      // A newer file replaces the old one whole: a CVE it lacks is gone.
      const d = await tempDir()
      const gz = join(d, 'epss.csv.gz')
      await writeFile(gz, gzipSync('#model_version:v2025.03.14,score_date:2025-06-02T00:00:00Z\ncve,epss,percentile\nCVE-2021-44228,0.9,0.99\n'))
      expect(await db.importEpss(gz)).toMatchObject({ imported: 1, invalid: 0 })
      expect(await db.epssOf('CVE-2021-44228')).toEqual({ epss: 0.9, percentile: 0.99, date: '2025-06-02' })
      expect(await db.epssOf('CVE-2021-23337')).toBeUndefined()
      expect((await db.status()).epss).toMatchObject({ generation: 2, count: 1 })
    } finally {
      await db.close()
    }
  })

  it('keeps the old scores when an import fails, and refuses what is not an EPSS file', async () => {
    const d = await tempDir()
    const db = await openHubDb(join(d, 'db'), memory())
    try {
      await db.importEpss(EPSS)
      const bad = join(d, 'bad.csv')
      await writeFile(bad, 'id,score\nCVE-2021-44228,0.1\n')
      await expect(db.importEpss(bad)).rejects.toMatchObject({ code: 'bad-source' })
      const corrupt = join(d, 'corrupt.csv.gz')
      await writeFile(corrupt, gzipSync(readFileSync(EPSS)).subarray(0, 60))
      await expect(db.importEpss(corrupt)).rejects.toMatchObject({ code: 'bad-source' })
      await expect(db.importEpss(join(d, 'missing.csv'))).rejects.toMatchObject({ code: 'bad-source' })
      const aborted = new AbortController()
      aborted.abort()
      await expect(db.importEpss(EPSS, { signal: aborted.signal })).rejects.toThrow()
      expect(await db.epssOf('CVE-2021-44228')).toMatchObject({ epss: 0.94358 })
      expect((await db.status()).epss.generation).toBe(1)
    } finally {
      await db.close()
    }
  })

  it('imports the KEV catalog, naming bad entries', async () => {
    const db = await openHubDb('/hub/advisories', memory())
    try {
      const stats = await db.importKev(KEV)
      expect(stats).toMatchObject({ imported: 2, invalid: 2 })
      expect(stats.errors).toEqual([
        { where: 'vulnerabilities[2]', message: expect.stringMatching(/cveID/) },
        { where: 'vulnerabilities[3] (CVE-2023-0002)', message: expect.stringMatching(/dateAdded/) },
      ])
      expect(await db.kevOf('CVE-2021-44228')).toEqual({ dateAdded: '2021-12-10', dueDate: '2021-12-24', ransomware: true, vendor: 'Apache', product: 'Log4j2', name: 'Apache Log4j2 Remote Code Execution Vulnerability' })
      expect(await db.kevOf('CVE-2021-23337')).toMatchObject({ ransomware: false })
      expect(await db.kevOf('CVE-2024-3651')).toBeUndefined()
      expect(await db.kevOfMany(['CVE-2021-44228', 'CVE-2000-1'])).toMatchObject([{ vendor: 'Apache' }, undefined])
      expect((await db.status()).kev).toMatchObject({ count: 2, version: '2025.06.02' })
      const d = await tempDir()
      await writeFile(join(d, 'x.json'), '{"vulns": []}')
      await expect(db.importKev(join(d, 'x.json'))).rejects.toMatchObject({ code: 'bad-source' })
      await writeFile(join(d, 'y.json'), '{not json')
      await expect(db.importKev(join(d, 'y.json'))).rejects.toMatchObject({ code: 'bad-source' })
      expect(await db.kevOf('CVE-2021-44228')).toBeDefined()
    } finally {
      await db.close()
    }
  })

  it('on disk: OSV imports through importIntoHubDb, EPSS and KEV survive reopening, a second process is refused', async () => {
    const dir = join(await tempDir(), 'advisories')
    const [stats] = await importIntoHubDb(dir, [PYPI])
    expect(stats!.added).toBeGreaterThan(2000)
    const db = await openHubDb(dir)
    try {
      await db.importEpss(EPSS)
      await db.importKev(KEV)
    } finally {
      await db.close()
    }
    const again = await openHubDb(dir)
    try {
      const s = await again.status()
      expect(s.advisories.ecosystems.PyPI).toBeGreaterThan(2000)
      expect(s.epss.count).toBe(9)
      expect(await again.epssOf('CVE-2005-4644')).toMatchObject({ epss: 0.00771 })
      expect(await again.kevOf('CVE-2021-44228')).toMatchObject({ ransomware: true })
      expect((await again.advisories.recordsFor('PyPI', 'Trac')).map((r) => r.id)).toContain('PYSEC-2005-1')
      await expect(openHubDb(dir, { lockTimeoutMs: 0 })).rejects.toMatchObject({ code: 'locked' })
    } finally {
      await again.close()
    }
  })
})
