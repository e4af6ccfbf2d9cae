// `npm start` as a newcomer runs it: a fresh home, no prompt, a hub and an enrolled demo
// agent in one process; the demo findings reach the hub over libp2p; Ctrl-C stops it cleanly.
import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

describe('npm start', () => {
  it('runs a hub and a demo agent whose findings reach the hub, never prompting', async () => {
    const home = await mkdtemp(join(tmpdir(), 'zt-start-'))
    try {
      const child = spawn(process.execPath, [join(ROOT, 'scripts/start.ts')], {
        env: { PATH: process.env.PATH!, ZT_HOME: home, ZT_HTTP_PORT: '0', ZT_P2P_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (d) => { out += d })
      child.stderr.on('data', (d) => { out += d })
      await new Promise<void>((done, fail) => {
        const t = setTimeout(() => fail(new Error(`npm start not ready:\n${out}`)), 60_000)
        child.stdout.on('data', () => { if (out.includes('Ctrl-C stops both')) { clearTimeout(t); done() } })
        child.on('exit', (code) => { clearTimeout(t); fail(new Error(`exited ${code}:\n${out}`)) })
      })
      expect(out).toMatch(/^ {2}9 findings from the agent reached the hub over libp2p$/m)
      const url = /API {6}(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]
      const token = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
      const agents = await (await fetch(`${url}/api/v1/tenants/demo/agents`, { headers: { authorization: `Bearer ${token}` } })).json() as { agents: { name: string, online: boolean }[] }
      expect(agents.agents).toEqual([expect.objectContaining({ name: 'demo-agent', online: true })])
      expect((await stat(join(home, 'demo-passphrase'))).mode & 0o777).toBe(0o600)
      // The printed login works: a session sees the demo tenant's findings.
      const [name, password] = /^ {2}login {4}(\S+) \/ (\S+)/m.exec(out)!.slice(1)
      const signedIn = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ name, password }), headers: { 'content-type': 'application/json' } })
      expect(signedIn.status).toBe(200)
      const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!
      const seen = await (await fetch(`${url}/api/v1/tenants/demo/findings`, { headers: { cookie } })).json() as { findings: unknown[] }
      expect(seen.findings).toHaveLength(9)
      // The UI is served by the hub (built on first start if it was not).
      const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } })
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<zt-app')
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
      child.kill('SIGINT')
      expect(await exited).toBe(0)
    } finally {
      await rm(home, { recursive: true, force: true })
    }
  }, 90_000)
})
