// `zt` starts the commands bin/memory-settings.js names with their V8 flags and glibc malloc
// tunables (re-executing itself once), and every other command as it was started.
import { describe, it, expect } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { memorySettings } from '../bin/memory-settings.js'

const ROOT = resolve(import.meta.dirname, '..')

/** Runs zt with a preload that records each process image's V8 flags and GLIBC_TUNABLES. */
async function started(args: string[], env: Record<string, string> = {}): Promise<{ execArgv: string[], tunables?: string }[]> {
  const dir = await mkdtemp(join(tmpdir(), 'zt-memory-'))
  const preload = join(dir, 'record.cjs')
  await writeFile(preload, `require('node:fs').appendFileSync(${JSON.stringify(join(dir, 'images'))}, JSON.stringify({ execArgv: process.execArgv, tunables: process.env.GLIBC_TUNABLES }) + '\\n')`)
  await new Promise<void>((done) => {
    execFile(process.execPath, [join(ROOT, 'bin/zt.js'), ...args], { env: { PATH: process.env.PATH!, ZT_HOME: dir, NODE_OPTIONS: `--require ${preload}`, ...env }, timeout: 60_000 }, () => done())
  })
  return (await readFile(join(dir, 'images'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
}

describe('memory settings', () => {
  it('zt scan runs with its young generation, growing factor and malloc arenas', async () => {
    const scan = memorySettings(['scan'])!
    expect(scan.v8.some((f) => f.startsWith('--max-semi-space-size='))).toBe(true)
    expect(scan.tunables).toContain('glibc.malloc.arena_max=2')
    // V8's compilers leave the scan's own thread a core.
    const cores = Math.max(1, availableParallelism() - 1)
    expect(scan.v8).toEqual(expect.arrayContaining([`--concurrent-maglev-max-threads=${cores}`, `--concurrent-turbofan-max-threads=${cores}`]))
    const images = await started(['scan', join(ROOT, 'scripts/demo/tree'), '--no-cache', '--no-secrets'])
    expect(images).toHaveLength(2)
    expect(images[1]!.execArgv).toEqual(expect.arrayContaining(scan.v8))
    expect(images[1]!.tunables).toBe(scan.tunables.join(':'))
  })

  it('zt agent run runs with its young generation and malloc arenas (and agent commands that only ask it, without)', async () => {
    const agent = memorySettings(['agent', 'run'])!
    expect(agent.v8).toEqual(['--max-semi-space-size=16'])
    expect(agent.tunables).toEqual(['glibc.malloc.arena_max=2'])
    const data = await mkdtemp(join(tmpdir(), 'zt-memory-agent-'))
    const images = await started(['agent', 'run', '--once', '--data', data, '--scan', join(ROOT, 'scripts/demo/tree')])
    expect(images).toHaveLength(2)
    expect(images[1]!.execArgv).toEqual(expect.arrayContaining(agent.v8))
    expect(images[1]!.tunables).toBe('glibc.malloc.arena_max=2')
    expect(memorySettings(['agent', 'status'])).toBeUndefined()
  })

  it('puts the user\'s own tunables last (they win), and leaves other commands alone', async () => {
    const images = await started(['scan', join(ROOT, 'scripts/demo/tree'), '--no-cache', '--no-secrets'], { GLIBC_TUNABLES: 'glibc.malloc.arena_max=4' })
    expect(images.at(-1)!.tunables).toBe([...memorySettings(['scan'])!.tunables, 'glibc.malloc.arena_max=4'].join(':'))
    expect(memorySettings(['keys', 'show'])).toBeUndefined()
    expect(await started(['--help'])).toEqual([{ execArgv: [] }])
  })
})
