// The agent daemon as users run it: zt agent run in the background, the control socket
// (0600) answering zt agent findings/status/log, secrets masked everywhere, a clean stop.
import { describe, it, expect } from 'vitest'
import { execFile, spawn } from 'node:child_process'
import { cp, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const ZT = join(ROOT, 'bin/zt.js')

function zt(args: string[], env: Record<string, string>): Promise<{ code: number, stdout: string, stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [ZT, ...args], { env: { PATH: process.env.PATH!, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    })
  })
}

describe('zt agent run (daemon)', () => {
  it('serves findings, status and a verified log over its socket, and stops cleanly', async () => {
    const home = await mkdtemp(join(tmpdir(), 'zt-daemon-'))
    const env = { ZT_HOME: home }
    const data = join(home, 'agent')
    const tree = join(home, 'tree')
    await cp(join(ROOT, 'scripts/demo/tree'), tree, { recursive: true })
    expect((await zt(['agent', 'init', '--data', data], env)).code).toBe(0)
    expect((await zt(['db', 'import', join(ROOT, 'scripts/demo/advisories.jsonl'), '--db', join(data, 'db')], env)).code).toBe(0)
    const child = spawn(process.execPath, [ZT, 'agent', 'run', '--data', data, '--scan', tree, '--interval', '1h'], { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => { stderr += d })
    try {
      let status: { running: boolean, lastScan?: { findings: number } } | undefined
      for (let i = 0; i < 100 && !status?.lastScan; i++) {
        await new Promise((r) => setTimeout(r, 200))
        const r = await zt(['agent', 'status', '--data', data, '--json'], env)
        if (r.code === 0) status = JSON.parse(r.stdout)
      }
      expect(status).toMatchObject({ running: true, lastScan: { findings: 9 } })
      expect((await stat(join(data, 'agent.sock'))).mode & 0o777).toBe(0o600)
      const findings = JSON.parse((await zt(['agent', 'findings', '--data', data, '--json'], env)).stdout) as { kind: string, evidence?: string }[]
      expect(findings).toHaveLength(9)
      const secret = (await readFile(join(tree, 'deploy/.env'), 'utf8')).match(/ghp_\w+/)![0]
      expect(JSON.stringify(findings)).not.toContain(secret.slice(4, -4))
      const log = await zt(['agent', 'log', '--data', data, '--verify', '--json'], env)
      expect(log.code).toBe(0)
      expect(JSON.parse(log.stdout).map((r: { doc: string }) => r.doc.split('/')[0]).sort()).toEqual(['findings', 'inventory'])
      // A changed lockfile is rescanned without waiting for the hour: jinja2 upgraded past its fix.
      await writeFile(join(tree, 'api/requirements.txt'), 'flask==2.0.1\nrequests==2.25.0\njinja2==3.1.3\n')
      let open = 9
      for (let i = 0; i < 60 && open === 9; i++) {
        await new Promise((r) => setTimeout(r, 250))
        open = (JSON.parse((await zt(['agent', 'findings', '--data', data, '--json'], env)).stdout) as unknown[]).length
      }
      expect(open).toBe(8)
      const all = JSON.parse((await zt(['agent', 'findings', '--data', data, '--all', '--json'], env)).stdout) as { rule: string, resolvedAt?: number }[]
      expect(all.find((f) => f.rule === 'GHSA-h5c8-rqwp-cp95')?.resolvedAt).toBeGreaterThan(0)
    } finally {
      child.kill('SIGTERM')
      await new Promise((r) => child.on('exit', r))
    }
    expect(child.exitCode, stderr).toBe(0)
    // Stopped: the same answers come from the store itself.
    const after = JSON.parse((await zt(['agent', 'status', '--data', data, '--json'], env)).stdout)
    expect(after).toMatchObject({ running: false, lastScan: { findings: 8 } })
    expect(after.certificate).toBeUndefined()
    // Enrolled: the certificate in the data dir shows in the status.
    const keys = { ...env, ZT_PASSPHRASE: 'a demo passphrase' }
    expect((await zt(['tenant', 'create', 'acme'], keys)).code).toBe(0)
    expect((await zt(['keys', 'sign-agent', '--tenant', 'acme', '--agent', after.agentId, '--name', 'ci-runner', '--out', join(data, 'agent.cert')], keys)).code).toBe(0)
    const enrolled = JSON.parse((await zt(['agent', 'status', '--data', data, '--json'], env)).stdout)
    expect(enrolled.certificate).toMatchObject({ name: 'ci-runner', tenant: 'acme', roles: ['agent'] })
  }, 60_000)
})
