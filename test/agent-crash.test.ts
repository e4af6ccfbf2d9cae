// Crash safety with a real agent process: kill -9 at random moments of a scan or of a
// compaction (every few envelopes here), at least 20 times; after each, the log verifies
// (every signature and link, and the stored state equals a replay of the log), and the next
// scan completes.
import { describe, it, expect, beforeAll } from 'vitest'
import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ZT = resolve(import.meta.dirname, '../bin/zt.js')
const KILLS = 20

function zt(args: string[], env: Record<string, string>): Promise<{ code: number, stdout: string, stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [ZT, ...args], { env: { PATH: process.env.PATH!, ...env }, timeout: 60_000, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    })
  })
}

let home: string
let data: string
let tree: string

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-crash-'))
  data = join(home, 'agent')
  tree = join(home, 'tree')
  // Enough files that a scan takes a while, changing every round so each scan writes.
  for (let i = 0; i < 300; i++) {
    await mkdir(join(tree, `app-${i}`), { recursive: true })
    await writeFile(join(tree, `app-${i}`, 'requirements.txt'), Array.from({ length: 40 }, (_, j) => `pkg-${i}-${j}==1.${j}.0`).join('\n'))
  }
  expect((await zt(['agent', 'init', '--data', data], { ZT_HOME: home })).code).toBe(0)
})

describe('agent crash safety (kill -9)', () => {
  it(`survives ${KILLS} kills at random points of a scan`, async () => {
    // Kill points spread over what a round's scan (a tenth of the files changed, the rest from
    // the scan cache) takes on this machine now: a loaded machine scans slower, and fixed
    // delays would then kill every scan before it writes anything.
    expect((await zt(['agent', 'run', '--data', data, '--scan', tree, '--once', '--compact-after', '4'], { ZT_HOME: home })).code).toBe(0)
    for (let i = 0; i < 300; i += 10) await writeFile(join(tree, `app-${i}`, 'requirements.txt'), Array.from({ length: 40 }, (_, j) => `pkg-${i}-${j}==0.${j}.1`).join('\n'))
    const t0 = performance.now()
    expect((await zt(['agent', 'run', '--data', data, '--scan', tree, '--once', '--compact-after', '4'], { ZT_HOME: home })).code).toBe(0)
    const scanMs = performance.now() - t0
    let killedMidway = 0
    for (let round = 0; killedMidway < KILLS && round < 3 * KILLS; round++) {
      // Change a tenth of the files so the scan has envelopes to write.
      for (let i = round % 10; i < 300; i += 10) {
        await writeFile(join(tree, `app-${i}`, 'requirements.txt'), Array.from({ length: 40 }, (_, j) => `pkg-${i}-${j}==${round}.${j}.0`).join('\n'))
      }
      const child = spawn(process.execPath, [ZT, 'agent', 'run', '--data', data, '--scan', tree, '--once', '--compact-after', '4'], { env: { PATH: process.env.PATH!, ZT_HOME: home }, stdio: 'ignore' })
      const delay = Math.floor(scanMs * (0.1 + Math.random()))
      const exited = await new Promise<boolean>((done) => {
        const t = setTimeout(() => { child.kill('SIGKILL'); done(false) }, delay)
        child.on('exit', () => { clearTimeout(t); done(true) })
      })
      if (!exited) { killedMidway++; await new Promise((r) => child.on('exit', r)) }
      const verify = await zt(['agent', 'log', '--data', data, '--verify', '--json'], { ZT_HOME: home })
      expect(verify.code, `round ${round}: ${verify.stderr}`).toBe(0)
    }
    // Rounds the kill came too late for complete (and compact now and then).
    expect(killedMidway).toBe(KILLS)
    // After all that, a full scan runs (and compacts what the rounds left) and its findings are all there.
    const done = await zt(['agent', 'run', '--data', data, '--scan', tree, '--once', '--compact-after', '1'], { ZT_HOME: home })
    expect(done.code, done.stderr).toBe(0)
    const status = JSON.parse((await zt(['agent', 'status', '--data', data, '--json'], { ZT_HOME: home })).stdout)
    expect(status.lastScan.packages).toBe(300 * 40)
    const log = JSON.parse((await zt(['agent', 'log', '--data', data, '--json'], { ZT_HOME: home })).stdout) as { lastSnapshot?: number }[]
    expect(log.length).toBe(2)
    expect(log.some((r) => r.lastSnapshot !== undefined)).toBe(true)
    expect((await zt(['agent', 'log', '--data', data, '--verify'], { ZT_HOME: home })).code).toBe(0)
  }, 300_000)
})
