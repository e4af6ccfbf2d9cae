import { describe, it, expect } from 'vitest'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ScanCache, type CachedFile } from './scan-cache.ts'

const file = (n: number): CachedFile => ({ size: n, mtimeMs: n, hash: 'h', count: 1, keys: 'k', secrets: [] })

describe('scan cache', () => {
  it('keeps, replaces and drops packages as told, and prunes only its own subtree', async () => {
    const cache = await ScanCache.open(join(await mkdtemp(join(tmpdir(), 'zt-cache-')), 'db'))
    await cache.putMany([
      { path: '/srv/app/a.lock', file: file(1), packages: new Uint8Array([1]) },
      { path: '/srv/app/b.lock', file: file(2), packages: new Uint8Array([2]) },
      { path: '/srv/app2/c.lock', file: file(3), packages: new Uint8Array([3]) },
    ])
    await cache.putMany([{ path: '/srv/app/a.lock', file: file(4) }, { path: '/srv/app/b.lock', file: file(5), packages: undefined }])
    expect((await cache.packagesOf(['/srv/app/a.lock', '/srv/app/b.lock'])).map((p) => [...p])).toEqual([[1], []])
    expect(await cache.prune(['/srv/app'], new Set(['/srv/app/a.lock']))).toBe(1)
    expect((await cache.getMany(['/srv/app/a.lock', '/srv/app/b.lock', '/srv/app2/c.lock'])).map((f) => f?.size)).toEqual([4, undefined, 3])
    await cache.close()
  })
})
