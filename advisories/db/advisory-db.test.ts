import { afterAll, describe, it, expect } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync, strToU8 } from 'fflate'
import { MemoryLevel } from 'memory-level'
import { openAdvisoryDb, type AdvisoryDbOptions } from './advisory-db.ts'

const OSV = join(import.meta.dirname, '../../../shared/data/osv')
const GO = join(OSV, 'go-vulndb/go-vulndb-osv.jsonl')
const PYPI = join(OSV, 'pypi-pypa-advisory-database/pypa-osv.jsonl')
const NPM_WG = join(OSV, 'npm-nodejs-security-wg/nodejs-security-wg-npm.jsonl')

const rec = (id: string, modified: string, extra: object = {}) => ({
  id, modified, affected: [{ package: { ecosystem: 'PyPI', name: 'Demo_Pkg' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }], ...extra,
})
const jsonl = (...records: unknown[]) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n'

const temps: string[] = []
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))))
async function tempDir() { const d = await mkdtemp(join(tmpdir(), 'zt-advdb-')); temps.push(d); return d }
/** An in-memory store per DB, shared by reopenings of the same dir. */
function memoryStores(): AdvisoryDbOptions {
  const stores = new Map<string, MemoryLevel<string, Uint8Array>>()
  return {
    newId: () => 'test-db',
    level: (dir) => {
      let s = stores.get(dir)
      if (!s) stores.set(dir, (s = new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' })))
      return s
    },
  }
}

describe('advisory DB', () => {
  it('imports .jsonl, counts and reports broken lines, looks records up by normalised name', async () => {
    const d = await tempDir()
    const file = join(d, 'a.jsonl')
    await writeFile(file, jsonl(rec('PYSEC-1', '2024-01-01T00:00:00Z'), '{not json', { id: 'X' }, '', rec('PYSEC-2', '2024-01-01T00:00:00Z'), '[1]'))
    const opts = memoryStores()
    const db = await openAdvisoryDb('mem', opts)
    const stats = await db.import(file)
    expect(stats).toMatchObject({ added: 2, updated: 0, unchanged: 0, withdrawn: 0, invalid: 3 })
    expect(stats.errors.map((e) => e.where)).toEqual(['line 2', 'line 3', 'line 6[0]'])
    expect(stats.errors[1]!.message).toMatch(/modified/)
    expect((await db.recordsFor('PyPI', 'demo-pkg')).map((r) => r.id).sort()).toEqual(['PYSEC-1', 'PYSEC-2'])
    expect((await db.recordsFor('PyPI', 'DEMO.pkg')).length).toBe(2)
    expect(await db.recordsFor('PyPI', 'other')).toEqual([])
    expect(await db.recordsFor('npm', 'Demo_Pkg')).toEqual([])
    const many = await db.recordsForMany([{ ecosystem: 'PyPI', name: 'Demo_Pkg' }, { ecosystem: 'npm', name: 'Demo_Pkg' }, { ecosystem: 'PyPI', name: 'nothing-here' }])
    expect(many.map((l) => l.map((r) => r.id).sort())).toEqual([['PYSEC-1', 'PYSEC-2'], [], []])
    expect((await db.get('PYSEC-1'))?.affected[0]?.package?.name).toBe('Demo_Pkg')
    expect(await db.status()).toEqual({ ecosystems: { PyPI: 2 }, total: 2, withdrawn: 0, newestModified: '2024-01-01T00:00:00Z', revision: 1 })
    await db.close()
    await db.close()
    // Uncached, in one go: the same as one by one.
    const again = await openAdvisoryDb('mem', opts)
    const both = await again.recordsForMany([{ ecosystem: 'PyPI', name: 'nothing-here' }, { ecosystem: 'PyPI', name: 'DEMO.pkg' }])
    expect(both.map((l) => l.map((r) => r.id).sort())).toEqual([[], ['PYSEC-1', 'PYSEC-2']])
    await again.close()
  })

  it('replaces a record only with a newer one (or equally new with other content); withdrawn retracts', async () => {
    const d = await tempDir()
    const file = join(d, 'a.jsonl')
    const opts = memoryStores()
    const db = await openAdvisoryDb('mem', opts)
    await writeFile(file, jsonl(rec('PYSEC-1', '2024-01-01T00:00:00Z'), rec('PYSEC-2', '2024-01-01T00:00:00Z'), rec('PYSEC-3', '2024-01-01T00:00:00Z')))
    expect(await db.import(file)).toMatchObject({ added: 3 })
    const generation = db.generation()
    expect(await db.import(file)).toMatchObject({ added: 0, updated: 0, unchanged: 3 })
    expect(db.generation()).toBe(generation)

    await writeFile(file, jsonl(
      rec('PYSEC-1', '2024-02-01T00:00:00Z', { summary: 'newer' }),
      rec('PYSEC-2', '2024-02-01T01:00:00+01:00', { withdrawn: '2024-02-01T00:00:00Z' }), // an instant equal to 2024-02-01T00:00:00Z
      rec('PYSEC-3', '2023-12-31T00:00:00Z', { summary: 'older: ignored' }),
    ))
    expect(await db.import(file)).toMatchObject({ added: 0, updated: 2, unchanged: 1, withdrawn: 1 })
    expect(db.generation()).not.toBe(generation)
    expect((await db.recordsFor('PyPI', 'demo-pkg')).map((r) => [r.id, r.summary]).sort()).toEqual([['PYSEC-1', 'newer'], ['PYSEC-3', undefined]])
    expect((await db.get('PYSEC-2'))?.withdrawn).toBe('2024-02-01T00:00:00Z')
    expect(await db.status()).toMatchObject({ ecosystems: { PyPI: 2 }, total: 3, withdrawn: 1, newestModified: '2024-02-01T00:00:00Z' })

    // Equally new with other content replaces; the record moves to another package.
    await writeFile(file, jsonl(rec('PYSEC-3', '2024-01-01T00:00:00Z', { affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.0.0'] }] })))
    expect(await db.import(file)).toMatchObject({ updated: 1 })
    expect((await db.recordsFor('PyPI', 'demo-pkg')).map((r) => r.id)).toEqual(['PYSEC-1'])
    expect((await db.recordsFor('npm', 'left-pad')).map((r) => r.id)).toEqual(['PYSEC-3'])
    expect((await db.status()).ecosystems).toEqual({ PyPI: 1, npm: 1 })

    // A withdrawal lifted by a newer version indexes the record again.
    await writeFile(file, jsonl(rec('PYSEC-2', '2024-03-01T00:00:00Z')))
    expect(await db.import(file)).toMatchObject({ updated: 1, withdrawn: 0 })
    expect((await db.recordsFor('PyPI', 'demo-pkg')).map((r) => r.id).sort()).toEqual(['PYSEC-1', 'PYSEC-2'])
    expect(await db.status()).toMatchObject({ ecosystems: { PyPI: 2, npm: 1 }, total: 3, withdrawn: 0 })
    await db.close()

    const again = await openAdvisoryDb('mem', opts)
    expect(await again.status()).toMatchObject({ total: 3, withdrawn: 0, newestModified: '2024-03-01T00:00:00Z' })
    expect((await again.recordsFor('npm', 'left-pad')).map((r) => r.id)).toEqual(['PYSEC-3'])
    await again.close()
  })

  it('counts every invalid record but reports the first 1,000 by place', async () => {
    const file = join(await tempDir(), 'broken.jsonl')
    await writeFile(file, jsonl(...Array.from({ length: 1200 }, () => '{"id": "no-modified"}'), rec('PYSEC-1', '2024-01-01T00:00:00Z', { affected: [{ package: { ecosystem: 'npm', name: 'a\u0000b' }, versions: ['1'] }] })))
    const db = await openAdvisoryDb('mem', memoryStores())
    const stats = await db.import(file)
    expect(stats).toMatchObject({ added: 0, invalid: 1201 })
    expect(stats.errors.length).toBe(1000)
    expect(stats.errors[999]).toMatchObject({ where: 'line 1000' })
    await db.close()
  })

  it('keeps one version per id when a source repeats it, across and within batches', async () => {
    const d = await tempDir()
    const file = join(d, 'a.jsonl')
    await writeFile(file, jsonl(rec('PYSEC-1', '2024-01-01T00:00:00Z'), rec('PYSEC-1', '2024-03-01T00:00:00Z', { summary: 'newest' }), rec('PYSEC-1', '2024-02-01T00:00:00Z')))
    for (const batchSize of [1, 1000]) {
      const db = await openAdvisoryDb('mem', { ...memoryStores(), batchSize })
      const stats = await db.import(file)
      expect(stats.added + stats.updated + stats.unchanged).toBe(3)
      expect((await db.get('PYSEC-1'))?.summary).toBe('newest')
      expect(await db.status()).toMatchObject({ total: 1 })
      await db.close()
    }
  })

  it('imports an OSV all.zip and a folder of .json, recursively; refuses other sources', async () => {
    const d = await tempDir()
    await writeFile(join(d, 'all.zip'), zipSync({
      'PYSEC-3.json': strToU8(JSON.stringify(rec('PYSEC-3', '2024-01-01T00:00:00Z'))),
      'nested/PYSEC-4.json': [strToU8(JSON.stringify(rec('PYSEC-4', '2024-01-01T00:00:00Z'))), { level: 0 }],
      'broken.json': strToU8('{"id": '),
      'README.txt': strToU8('not a record'),
    }))
    await mkdir(join(d, 'folder/sub'), { recursive: true })
    await writeFile(join(d, 'folder/sub/PYSEC-5.json'), JSON.stringify(rec('PYSEC-5', '2024-01-01T00:00:00Z')))
    await writeFile(join(d, 'folder/list.json'), JSON.stringify([rec('PYSEC-6', '2024-01-01T00:00:00Z'), { id: 'PYSEC-7' }]))
    await writeFile(join(d, 'folder/notes.txt'), 'ignored')
    await writeFile(join(d, 'nothing.txt'), 'x')
    const db = await openAdvisoryDb('mem', memoryStores())
    const zip = await db.import(join(d, 'all.zip'))
    expect(zip).toMatchObject({ added: 2, invalid: 1 })
    expect(zip.errors).toEqual([{ where: 'broken.json', message: expect.stringMatching(/^not JSON/) }])
    const folder = await db.import(join(d, 'folder'))
    expect(folder).toMatchObject({ added: 2, invalid: 1 })
    expect(folder.errors.map((e) => e.where)).toEqual(['list.json[1]'])
    await expect(db.import(join(d, 'nothing.txt'))).rejects.toMatchObject({ name: 'AdvisoryError', code: 'bad-source' })
    await expect(db.import(join(d, 'missing.jsonl'))).rejects.toMatchObject({ code: 'bad-source' })
    expect((await db.recordsFor('PyPI', 'demo-pkg')).map((r) => r.id).sort()).toEqual(['PYSEC-3', 'PYSEC-4', 'PYSEC-5', 'PYSEC-6'])
    await db.close()
  })

  it('stops an import on abort, leaving what it wrote consistent', async () => {
    const d = await tempDir()
    const file = join(d, 'a.jsonl')
    await writeFile(file, jsonl(...Array.from({ length: 25 }, (_, i) => rec(`PYSEC-${i}`, '2024-01-01T00:00:00Z'))))
    const db = await openAdvisoryDb('mem', { ...memoryStores(), batchSize: 10 })
    const controller = new AbortController()
    await expect(db.import(file, { signal: controller.signal, onProgress: (n) => { if (n >= 10) controller.abort() } })).rejects.toMatchObject({ name: 'AbortError' })
    const s = await db.status()
    expect(s.total).toBe((await db.recordsFor('PyPI', 'demo-pkg')).length)
    expect(s.total % 10).toBe(0)
    expect(await db.import(file)).toMatchObject({ added: 25 - s.total, unchanged: s.total })
    await db.close()
  })

  it.skipIf(!existsSync(NPM_WG))('converts the npm security WG advisories (../shared/data/osv/npm-nodejs-security-wg)', async () => {
    const db = await openAdvisoryDb('mem', memoryStores())
    const stats = await db.import(NPM_WG)
    // 467 advisories, then the WG's index.json line listing the same 467 again.
    expect(stats).toMatchObject({ added: 467, updated: 0, unchanged: 467, invalid: 0 })
    expect(await db.status()).toMatchObject({ ecosystems: { npm: 467 }, total: 467, withdrawn: 0 })
    const [bassmaster] = await db.recordsFor('npm', 'bassmaster')
    expect(bassmaster).toMatchObject({ id: 'NSWG-ECO-1', aliases: ['CVE-2014-7205'], modified: '2016-04-28T00:00:00Z' })
    expect(bassmaster!.affected[0]!.ranges).toEqual([{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '1.5.1' }] }])
    await db.close()
  })

  it.skipIf(!existsSync(GO) || !existsSync(PYPI))('imports the real Go and PyPI databases into classic-level (../shared/data/osv)', { timeout: 120_000 }, async () => {
    // The expected counts, read from the files independently of the importer.
    const expected = { total: 0, withdrawn: 0, ecosystems: {} as Record<string, number>, stdlib: 0, ids: new Set<string>() }
    for (const path of [GO, PYPI]) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line.trim()) continue
        const r = JSON.parse(line)
        expected.ids.add(r.id)
        expected.total++
        if (r.withdrawn) { expected.withdrawn++; continue }
        for (const e of new Set<string>(r.affected.map((a: { package: { ecosystem: string } }) => a.package.ecosystem.split(':')[0]))) expected.ecosystems[e] = (expected.ecosystems[e] ?? 0) + 1
        if (r.affected.some((a: { package: { ecosystem: string, name: string } }) => a.package.ecosystem === 'Go' && a.package.name === 'stdlib')) expected.stdlib++
      }
    }
    expect(expected.ids.size).toBe(4291 + 2661)

    const dir = join(await tempDir(), 'db')
    const db = await openAdvisoryDb(dir)
    const go = await db.import(GO)
    const py = await db.import(PYPI)
    expect(go).toMatchObject({ added: 4291, invalid: 0 })
    expect(py).toMatchObject({ added: 2661, invalid: 0 })
    expect(go.withdrawn + py.withdrawn).toBe(expected.withdrawn)
    const status = await db.status()
    expect(status).toMatchObject({ total: expected.total, withdrawn: expected.withdrawn, ecosystems: expected.ecosystems })
    expect((await db.recordsFor('Go', 'stdlib')).length).toBe(expected.stdlib)
    await expect(openAdvisoryDb(dir, { lockTimeoutMs: 0 })).rejects.toMatchObject({ name: 'AdvisoryDbError', code: 'locked' })

    expect(await db.import(GO)).toMatchObject({ added: 0, updated: 0, unchanged: 4291, invalid: 0 })
    expect(await db.status()).toEqual(status)
    await db.close()

    const reopened = await openAdvisoryDb(dir)
    expect(await reopened.status()).toEqual(status)
    expect((await reopened.recordsFor('PyPI', 'Django')).length).toBeGreaterThan(0)
    expect((await reopened.recordsFor('PyPI', 'Django')).every((r) => r.affected.some((a) => a.package?.name.toLowerCase() === 'django'))).toBe(true)
    await reopened.close()
  })
})
