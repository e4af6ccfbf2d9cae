// bin/zt.js compiles the agent daemon's modules in a short-lived child before the daemon starts
// (cli/compile-ahead.ts): the daemon, even on a first run, never loads Node's TypeScript
// stripper, whose memory it would hold for as long as it runs.
import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const ZT = join(ROOT, 'bin/zt.js')
// Says on exit whether this process loaded the stripper (a builtin Node loads on first use).
const REPORT = 'data:text/javascript,' + encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => writeSync(2, `stripper loaded: ${process.moduleLoadList.some((m) => m.includes('amaro'))}\\n`))")

/** Runs `zt agent run …` with an empty compile cache until it is running (or done), then stops it; its stderr. */
function agentRun(home: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const env = { PATH: process.env.PATH!, ZT_HOME: home, NODE_COMPILE_CACHE: join(home, `cache-${args.join('')}`.replace(/\W/g, '')) }
    const child = spawn(process.execPath, ['--import', REPORT, ZT, 'agent', 'run', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => { stderr += d; if (/running; next scan/.test(stderr)) child.kill('SIGTERM') })
    child.on('error', fail)
    child.on('exit', () => done(stderr))
  })
}

describe('compiling ahead of the agent daemon', () => {
  it('leaves the daemon nothing to strip on a first run; a one-shot scan strips for itself', async () => {
    const home = await mkdtemp(join(tmpdir(), 'zt-compile-ahead-'))
    try {
      const data = join(home, 'agent')
      const tree = join(home, 'tree')
      await cp(join(ROOT, 'scripts/demo/tree'), tree, { recursive: true })
      const init = spawn(process.execPath, [ZT, 'agent', 'init', '--data', data], { env: { PATH: process.env.PATH!, ZT_HOME: home }, stdio: 'ignore' })
      await new Promise((r) => init.on('exit', r))
      const daemon = await agentRun(home, ['--data', data, '--scan', tree, '--interval', '1h'])
      expect(daemon).toMatch(/scan: \d+ packages, [1-9]\d* findings/)
      expect(daemon).toContain('stripper loaded: false')
      const once = await agentRun(home, ['--data', data, '--scan', tree, '--once'])
      expect(once).toMatch(/scan: \d+ packages/)
      expect(once).toContain('stripper loaded: true')
    } finally { await rm(home, { recursive: true, force: true }) }
  }, 60_000)
})
