import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pageable, parseMaps } from './native-memory.ts'
import { syscalls } from './native-syscalls.ts'

// glibc and Linux only: elsewhere the helper is not built and giving back does nothing.
const glibc = Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime)
const compiler = spawnSync('cc', ['--version']).status === 0
const heapModule = JSON.stringify(new URL('./heap.ts', import.meta.url).pathname)

describe('native memory helper', () => {
  it('is available where npm could build it (glibc, a C compiler)', (ctx) => {
    if (!glibc || !compiler) ctx.skip()
    // npm's install step (scripts/build-native.js) builds native/syscalls; `npm run install` again if this fails.
    expect(syscalls()).not.toBe(null)
  })

  it('giveBackMemory hands the C heap\'s freed middle back, which a collection alone leaves resident', (ctx) => {
    if (syscalls() === null) ctx.skip()
    // A fresh process mallocs 64 KiB buffers (below glibc's mmap threshold), each followed by
    // a small one it keeps, so the freed ones sit between live chunks: free() cannot return
    // them from the heap's top. RSS in MB: start, allocated, after a collection, after giveBackMemory.
    const script = `
      import { giveBackMemory } from ${heapModule}
      const rss = () => process.memoryUsage.rss() / 1048576
      const start = rss()
      let big = []
      const keep = []
      for (let i = 0; i < 1600; i++) { big.push(Buffer.allocUnsafeSlow(65536).fill(1)); keep.push(Buffer.allocUnsafeSlow(512).fill(2)) }
      const allocated = rss()
      big = undefined
      globalThis.gc(); await new Promise((r) => setTimeout(r, 100)); globalThis.gc()
      const collected = rss()
      giveBackMemory()
      console.log(JSON.stringify({ start, allocated, collected, givenBack: rss(), kept: keep.length }))`
    const r = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' }))
    // Measured: 43 → 148 → 148 → 51 MB.
    expect(r.allocated - r.start).toBeGreaterThan(90)
    expect(r.collected - r.start).toBeGreaterThan(90)
    expect(r.collected - r.givenBack).toBeGreaterThan(80)
  })

  it('giveBackMemory hands back the Node binary\'s pages that no other process maps', (ctx) => {
    if (syscalls() === null) ctx.skip()
    // The test runner runs the same binary: pages both map are shared, and the kernel keeps
    // them. A copy of the binary is this child's alone, as on a host where the agent is the
    // only Node process. File-backed RSS in MB (Rss − Anonymous): before, after.
    const dir = mkdtempSync(join(tmpdir(), 'zt-pageout-'))
    try {
      const node = join(dir, 'node')
      copyFileSync(process.execPath, node)
      const script = `
        import { readFileSync } from 'node:fs'
        import { giveBackMemory } from ${heapModule}
        const fileMb = () => { const t = readFileSync('/proc/self/smaps_rollup', 'utf8'); const kb = (k) => Number(new RegExp('^' + k + ':\\\\s+(\\\\d+)', 'm').exec(t)[1]); return (kb('Rss') - kb('Anonymous')) / 1024 }
        const before = fileMb()
        giveBackMemory()
        console.log(JSON.stringify({ before, after: fileMb() }))`
      const r = JSON.parse(execFileSync(node, ['--input-type=module', '-e', script], { encoding: 'utf8' }))
      // Measured: 42 → 9–10 MB.
      expect(r.before).toBeGreaterThan(20)
      expect(r.after).toBeLessThan(r.before / 3)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('pageable mappings', () => {
  const maps = parseMaps([
    '00400000-00746000 r--p 00000000 fe:00 5358195                            /opt/zt/node_modules/node/bin/node',
    '0074a000-03044000 r-xp 0034a000 fe:00 5358195                            /opt/zt/node_modules/node/bin/node',
    '06b56000-06b7d000 rw-p 06755000 fe:00 5358195                            /opt/zt/node_modules/node/bin/node',
    '06b7d000-06bb7000 rw-p 00000000 00:00 0',
    '0f3c2000-1057a000 rw-p 00000000 00:00 0                                  [heap]',
    '7f0c4e400000-7f0c4e600000 r--s 00000000 fe:00 131 /var/lib/zt/store/000007.ldb',
    '7f0c4e800000-7f0c4e900000 r-xp 00000000 00:01 77                         /memfd:jit (deleted)',
    '7f0c4ea00000-7f0c4ea01000 r--s 00000000 00:05 12                         /dev/shm/x',
    '7ffd3a1fe000-7ffd3a200000 r-xp 00000000 00:00 0                          [vdso]',
    '',
  ].join('\n'))

  it('reads /proc/<pid>/maps lines: range, writability, path', () => {
    expect(maps).toHaveLength(9)
    expect(maps[1]).toEqual({ start: 0x74a000, end: 0x3044000, writable: false, path: '/opt/zt/node_modules/node/bin/node' })
    expect(maps[3]).toEqual({ start: 0x6b7d000, end: 0x6bb7000, writable: true, path: '' })
  })

  it('are read-only mappings of real files only', () => {
    expect(maps.filter(pageable).map((m) => m.start)).toEqual([0x400000, 0x74a000, 0x7f0c4e400000])
  })
})
