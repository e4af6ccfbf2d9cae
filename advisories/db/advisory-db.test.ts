import { describe, it, expect } from 'vitest'
import { existsSync } from 'node:fs'
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync, strToU8 } from 'fflate'
import { openAdvisoryDb } from './advisory-db.ts'

const OSV = join(import.meta.dirname, '../../../shared/data/osv')
const rec = (id: string, modified: string, extra: object = {}) => ({
  id, modified, aliases: [], affected: [{ package: { ecosystem: 'PyPI', name: 'Demo_Pkg' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }], ...extra,
})

async function dir() { return mkdtemp(join(tmpdir(), 'zt-advdb-')) }

describe('advisory DB', () => {
  it('imports .jsonl, updates by modified, retracts withdrawn, counts broken lines', async () => {
    const d = await dir()
    const file = join(d, 'a.jsonl')
    await writeFile(file, [JSON.stringify(rec('PYSEC-1', '2024-01-01T00:00:00Z')), '{not json', JSON.stringify({ id: 'X' }), JSON.stringify(rec('PYSEC-2', '2024-01-01T00:00:00Z'))].join('\n'))
    const db = await openAdvisoryDb(join(d, 'db'))
    const first = await db.import(file)
    expect(first).toMatchObject({ added: 2, invalid: 2 })
    expect(first.errors.map((e) => e.where)).toEqual(['line 2', 'line 3'])
    expect((await db.recordsFor('PyPI', 'demo-pkg')).map((r) => r.id).sort()).toEqual(['PYSEC-1', 'PYSEC-2'])
    expect(await db.import(file)).toMatchObject({ added: 0, unchanged: 2 })
    await writeFile(file, [JSON.stringify(rec('PYSEC-1', '2024-02-01T00:00:00Z', { summary: 'newer' })), JSON.stringify(rec('PYSEC-2', '2024-02-01T00:00:00Z', { withdrawn: '2024-02-01T00:00:00Z' }))].join('\n'))
    expect(await db.import(file)).toMatchObject({ updated: 2, withdrawn: 1 })
    const left = await db.recordsFor('PyPI', 'DEMO.pkg')
    expect(left.map((r) => [r.id, r.summary])).toEqual([['PYSEC-1', 'newer']])
    expect(await db.status()).toEqual({ ecosystems: { PyPI: 1 }, total: 2, withdrawn: 1, newestModified: '2024-02-01T00:00:00Z', revision: 2 })
    const generation = db.generation()
    expect(await db.import(file)).toMatchObject({ unchanged: 2 })
    expect(db.generation()).toBe(generation)
    await db.close()
    const again = await openAdvisoryDb(join(d, 'db'))
    expect((await again.status()).total).toBe(2)
    await again.close()
  })

  it('imports an OSV all.zip and a folder of .json', async () => {
    const d = await dir()
    await writeFile(join(d, 'all.zip'), zipSync({ 'PYSEC-3.json': strToU8(JSON.stringify(rec('PYSEC-3', '2024-01-01T00:00:00Z'))), 'README.txt': strToU8('x') }))
    await mkdir(join(d, 'folder/sub'), { recursive: true })
    await writeFile(join(d, 'folder/sub/PYSEC-4.json'), JSON.stringify(rec('PYSEC-4', '2024-01-01T00:00:00Z')))
    const db = await openAdvisoryDb(join(d, 'db'))
    expect(await db.import(join(d, 'all.zip'))).toMatchObject({ added: 1 })
    expect(await db.import(join(d, 'folder'))).toMatchObject({ added: 1 })
    await expect(db.import(join(d, 'nothing.txt'))).rejects.toMatchObject({ code: 'bad-source' })
    expect((await db.recordsFor('PyPI', 'demo-pkg')).length).toBe(2)
    await db.close()
  })

  it.skipIf(!existsSync(OSV))('imports the real Go and PyPI databases (../shared/data/osv)', async () => {
    const db = await openAdvisoryDb(join(await dir(), 'db'))
    const go = await db.import(join(OSV, 'go-vulndb/go-vulndb-osv.jsonl'))
    const py = await db.import(join(OSV, 'pypi-pypa-advisory-database/pypa-osv.jsonl'))
    expect(go.added + py.added).toBe(4291 + 2661 - go.invalid - py.invalid)
    expect(go.invalid + py.invalid).toBe(0)
    const s = await db.status()
    expect(s.ecosystems.PyPI).toBeGreaterThan(2500)
    expect(s.ecosystems.Go).toBeGreaterThan(4000)
    expect((await db.recordsFor('Go', 'stdlib')).length).toBeGreaterThan(100)
    await db.close()
  })
})
