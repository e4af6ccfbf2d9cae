import { describe, it, expect } from 'vitest'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Finding } from '../../crdt/index.ts'
import { ClassicLevel } from 'classic-level'
import { ScanCache, type CachedFile } from './scan-cache.ts'

const file = (n: number): CachedFile => ({ size: n, mtimeMs: n, ctimeMs: n, hash: 'h', count: 1, secrets: [], secretsScanned: false })
const entry = async (cache: ScanCache, path: string, generation?: string) => (await cache.readUnder([dirname(path)], generation)).take(path)
const openCache = async () => ScanCache.open(join(await mkdtemp(join(tmpdir(), 'zt-cache-')), 'db'))

function finding(id: string, rule: string, pkg: string, aliases = [rule], extra: Partial<Finding> = {}): Finding {
  return { id, kind: 'vuln', rule, aliases, severity: 'high', score: 7.5, title: `${rule} title`, ecosystem: 'PyPI', package: pkg, version: '1.0', fixedIn: ['1.1'], path: 'app/Pipfile.lock', ...extra }
}

/** Match keys as the parse workers hand them over: UTF-8. */
const utf8 = (s: string) => Buffer.from(s, 'utf8')

describe('scan cache', () => {
  it('keeps, replaces and drops packages and keys as told, and prunes only its own subtree', async () => {
    const cache = await openCache()
    await cache.putMany([
      { path: '/srv/app/a.lock', file: file(1), keys: utf8('ka'), packages: new Uint8Array([1]) },
      { path: '/srv/app/b.lock', file: file(2), keys: utf8('kb'), packages: new Uint8Array([2]) },
      { path: '/srv/app2/c.lock', file: file(3), keys: utf8('kc'), packages: new Uint8Array([3]) },
    ])
    await cache.putMany([{ path: '/srv/app/a.lock', file: file(4) }, { path: '/srv/app/b.lock', file: file(5), keys: utf8('kb2'), packages: undefined }])
    expect((await cache.packagesOf(['/srv/app/a.lock', '/srv/app/b.lock'])).map((p) => [...p])).toEqual([[1], []])
    expect(await cache.keysOf(['/srv/app/a.lock', '/srv/app/b.lock', '/srv/app/none.lock'])).toEqual(['ka', 'kb2', ''])
    const first = await cache.readUnder(['/srv/app'])
    expect(first.take('/srv/app/a.lock')?.size).toBe(4)
    expect(first.take('/srv/app/a.lock')).toBeUndefined()
    expect(first.untaken()).toEqual(['/srv/app/b.lock'])
    await cache.remove(first.untaken())
    const held = await cache.readUnder(['/srv/app', '/srv/app2/c.lock'])
    expect(['/srv/app/a.lock', '/srv/app/b.lock', '/srv/app2/c.lock'].map((p) => held.take(p)?.size)).toEqual([4, undefined, 3])
    expect(held.untaken()).toEqual([])
    expect(await cache.keysOf(['/srv/app/b.lock'])).toEqual([''])
    await cache.close()
  })

  it('gives findings back as they were, only under their generation, sharing one advisory group', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'zt-cache-')), 'db')
    let cache = await ScanCache.open(dir)
    const shared = ['GHSA-1', 'CVE-1']
    const findings = [
      finding('id1', 'GHSA-1', 'a', shared), finding('id2', 'GHSA-1', 'b', shared),
      finding('id3', 'GHSA-2', 'c', undefined, { score: undefined, title: undefined, severity: 'low' }),
    ].map((f) => JSON.parse(JSON.stringify(f)) as Finding)
    await cache.putMany([{ path: '/x/app/Pipfile.lock', file: { ...file(1), vulns: { generation: 'g1', agent: 'ag', path: 'app/Pipfile.lock', findings } } }])
    await cache.close()
    cache = await ScanCache.open(dir)
    const hit = await entry(cache, '/x/app/Pipfile.lock', 'g1')
    // With their stored form: the ids as one string, an advisory group and a package version each.
    expect(hit!.vulns).toEqual({ generation: 'g1', agent: 'ag', path: 'app/Pipfile.lock', findings, stored: ['id1\nid2\nid3', new Uint32Array([0, 0, 0, 1, 1, 2])] })
    expect(JSON.stringify(hit!.vulns!.findings)).toBe(JSON.stringify(findings))
    expect(hit!.vulns!.findings[0]!.aliases).toBe(hit!.vulns!.findings[1]!.aliases)
    expect((await entry(cache, '/x/app/Pipfile.lock', 'g2'))!.vulns).toBeUndefined()
    expect((await entry(cache, '/x/app/Pipfile.lock'))!.vulns).toBeUndefined()
    // No findings at all is also a generation's answer, and only that generation's.
    await cache.putMany([{ path: '/x/app/none.lock', file: { ...file(2), vulns: { generation: 'g1', agent: 'ag', path: 'app/none.lock', findings: [] } } }])
    expect((await entry(cache, '/x/app/none.lock', 'g1'))!.vulns?.findings).toEqual([])
    expect((await entry(cache, '/x/app/none.lock', 'g2'))!.vulns).toBeUndefined()
    // Another generation's groups go; findings pointing at them are then matched again.
    await cache.pruneGenerations('g2')
    cache = await (async () => { await cache.close(); return ScanCache.open(dir) })()
    expect((await entry(cache, '/x/app/Pipfile.lock', 'g1'))!.vulns).toBeUndefined()
    // Groups written under another generation after a prune are dropped by the next one.
    await cache.putMany([{ path: '/x/app/Pipfile.lock', file: { ...file(1), vulns: { generation: 'g1', agent: 'ag', path: 'app/Pipfile.lock', findings } } }])
    await cache.pruneGenerations('g2')
    cache = await (async () => { await cache.close(); return ScanCache.open(dir) })()
    expect((await entry(cache, '/x/app/Pipfile.lock', 'g1'))!.vulns).toBeUndefined()
    await cache.close()
  })

  it('drops what another ZeroTrace version cached (its parsers may have read the files otherwise), and keeps its own', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'zt-cache-')), 'db')
    const held = async (cache: ScanCache) => (await cache.readUnder(['/v'])).take('/v/Pipfile.lock')
    let cache = await ScanCache.open(dir, '1.0.0')
    await cache.putMany([{ path: '/v/Pipfile.lock', file: file(5) }])
    await cache.listings.put('/v', new Uint8Array([1]))
    await cache.close()
    cache = await ScanCache.open(dir, '1.0.0')
    expect((await held(cache))?.size).toBe(5)
    await cache.close()
    cache = await ScanCache.open(dir, '1.1.0')
    expect(await held(cache)).toBeUndefined()
    expect(await cache.listings.get('/v')).toBeUndefined()
    await cache.putMany([{ path: '/v/Pipfile.lock', file: file(6) }])
    await cache.close()
    cache = await ScanCache.open(dir, '1.1.0')
    expect((await held(cache))?.size).toBe(6)
    await cache.close()
  })

  it('prunes to a generation once: again only after something was added to the tables', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'zt-cache-')), 'db')
    const staleKeys = async () => {
      const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })
      const keys = await db.keys({ gte: 'a!g0!', lt: 'a!g0"' }).all()
      await db.close()
      return keys
    }
    const plant = async () => {
      const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })
      await db.put('a!g0!00000000', new Uint8Array([1]))
      await db.close()
    }
    let cache = await ScanCache.open(dir)
    await cache.putMany([{ path: '/z/Pipfile.lock', file: { ...file(1), vulns: { generation: 'g1', agent: '', path: 'Pipfile.lock', findings: [finding('z1', 'GHSA-1', 'p')] } } }])
    await cache.close()
    await plant()
    cache = await ScanCache.open(dir)
    await cache.pruneGenerations('g1')
    await cache.close()
    expect(await staleKeys()).toEqual([])
    // Pruned to g1 and nothing added since: the next prune to g1 walks nothing (what it does not walk, it does not see).
    await plant()
    cache = await ScanCache.open(dir)
    await cache.pruneGenerations('g1')
    await cache.close()
    expect(await staleKeys()).toEqual(['a!g0!00000000'])
    // A batch that adds a group: the next prune walks the tables again.
    cache = await ScanCache.open(dir)
    await cache.putMany([{ path: '/z/Pipfile.lock', file: { ...file(1), vulns: { generation: 'g1', agent: '', path: 'Pipfile.lock', findings: [finding('z2', 'GHSA-9', 'q')] } } }])
    await cache.pruneGenerations('g1')
    await cache.close()
    expect(await staleKeys()).toEqual([])
  })

  it('shares package versions across files and generations\' writes, and leaves uncached the findings of a file whose id it could not store', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'zt-cache-')), 'db')
    let cache = await ScanCache.open(dir)
    const a = [finding('a1', 'GHSA-1', 'p'), finding('a2', 'GHSA-2', 'p'), finding('a3', 'GHSA-1', 'q', undefined, { version: '2.0' })]
    const b = [finding('b1', 'GHSA-2', 'p', undefined, { path: 'other/Pipfile.lock' })]
    const odd = [finding('line\nbreak', 'GHSA-1', 'p')]
    await cache.putMany([
      { path: '/y/a/Pipfile.lock', file: { ...file(1), vulns: { generation: 'g1', agent: '', path: 'app/Pipfile.lock', findings: a } } },
      { path: '/y/b/Pipfile.lock', file: { ...file(2), vulns: { generation: 'g1', agent: '', path: 'other/Pipfile.lock', findings: b } } },
      { path: '/y/c/Pipfile.lock', file: { ...file(3), vulns: { generation: 'g1', agent: '', path: 'app/Pipfile.lock', findings: odd } } },
    ])
    await cache.close()
    cache = await ScanCache.open(dir)
    const held = await cache.readUnder(['/y'], 'g1')
    expect(held.take('/y/a/Pipfile.lock')!.vulns!.findings).toEqual(a)
    expect(held.take('/y/b/Pipfile.lock')!.vulns!.findings).toEqual(b)
    const c = held.take('/y/c/Pipfile.lock')!
    expect(c.size).toBe(3)
    expect(c.vulns).toBeUndefined()
    // Re-opened, the cache numbers the versions it stored (p@1.0, q@2.0) from its table: a
    // file with them and one new version (r) adds only r.
    const d = [finding('d1', 'GHSA-1', 'q', undefined, { version: '2.0' }), finding('d2', 'GHSA-2', 'p'), finding('d3', 'GHSA-1', 'r')]
    await cache.putMany([{ path: '/y/d/Pipfile.lock', file: { ...file(4), vulns: { generation: 'g1', agent: '', path: 'app/Pipfile.lock', findings: d } } }])
    await cache.close()
    const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })
    const versions = await db.keys({ gte: 'b!g1!', lt: 'b!g1!\uffff' }).all()
    await db.close()
    expect(versions).toHaveLength(3)
    cache = await ScanCache.open(dir)
    expect((await cache.readUnder(['/y'], 'g1')).take('/y/d/Pipfile.lock')!.vulns!.findings).toEqual(d)
    await cache.close()
  })
})
