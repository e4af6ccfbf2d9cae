// The batched stats a rescan's walk takes: the native addon's and node:fs's agree, path by
// path and to the last bit of every millisecond, on every kind of path a tree can hold.
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { syscalls } from '../../protocol/index.ts'
import { ABSENT, DIRECTORY, FILE, OTHER, statBatch, SYMLINK } from './stat-batch.ts'

function tree(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'zt-stat-'))
  mkdirSync(join(dir, 'd'))
  writeFileSync(join(dir, 'd/f.lock'), 'x'.repeat(1234))
  // A stamp with nanoseconds in it, and one before 1970.
  utimesSync(join(dir, 'd/f.lock'), 1_700_000_000.123456, 1_700_000_000.987654)
  writeFileSync(join(dir, 'old'), '')
  utimesSync(join(dir, 'old'), -1000.5, -1000.5)
  symlinkSync(join(dir, 'd/f.lock'), join(dir, 'to-file'))
  symlinkSync(join(dir, 'd'), join(dir, 'to-dir'))
  symlinkSync(join(dir, 'missing'), join(dir, 'broken'))
  execFileSync('mkfifo', [join(dir, 'fifo')])
  writeFileSync(join(dir, 'é ü.json'), '{}')
  return [dir, 'd', 'd/f.lock', 'old', 'to-file', 'to-dir', 'broken', 'fifo', 'é ü.json', 'missing', 'd/f.lock/under-a-file', ''].map((p) => (p === '' ? join(dir, 'd') + '/' : p.startsWith('/') ? p : join(dir, p)))
}

describe('statBatch', () => {
  const paths = tree()

  it('through node:fs: kind, size and stamps of each path, absent where there is nothing to stat', () => {
    const st = statBatch(paths, false, null)
    const kind = (i: number) => st[4 * i]
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(kind)).toEqual([DIRECTORY, DIRECTORY, FILE, FILE, SYMLINK, SYMLINK, SYMLINK, OTHER, FILE, ABSENT, ABSENT])
    expect(st[4 * 2 + 1]).toBe(1234)
    const follow = statBatch(paths, true, null)
    expect([4, 5, 6].map((i) => follow[4 * i])).toEqual([FILE, DIRECTORY, ABSENT])
  })

  it('through the native addon: the same numbers, both ways', (ctx) => {
    const native = syscalls()
    // npm's install step builds it where a C compiler is (scripts/build-native.js).
    if (native === null) return ctx.skip()
    for (const follow of [false, true]) {
      const a = statBatch(paths, follow, native)
      const b = statBatch(paths, follow, null)
      expect(Array.from(a)).toEqual(Array.from(b))
      // Bit for bit: Object.is tells -0 from 0, and every double is compared exactly.
      a.forEach((x, i) => expect(Object.is(x, b[i])).toBe(true))
    }
    expect(statBatch([], false, native)).toEqual(new Float64Array(0))
  })

  it('the addon refuses arguments of another shape rather than read past them', (ctx) => {
    const native = syscalls()
    if (native === null) return ctx.skip()
    expect(() => native.statMany('/a\0/b', 3, false, new Float64Array(8))).toThrow(TypeError)
    expect(() => native.statMany('/a', 1, false, new Float64Array(4).buffer as never)).toThrow(TypeError)
    // Fewer paths than counted: the rest read as absent.
    const out = new Float64Array(12).fill(9)
    native.statMany(paths[0]!, 3, true, out)
    expect(Array.from(out.subarray(4))).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
    expect(out[0]).toBe(DIRECTORY)
  })
})
