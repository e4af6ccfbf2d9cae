// `zt hub user …` / `zt hub token …` in-process: on the store of a stopped hub (the first
// operator), then through a running hub's API with the operator token.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { createTenantRoot } from '../../keys/index.ts'
import { startHub, type Hub } from '../../hub/index.ts'
import { runCli } from '../run.ts'

const PASS = 'cli-user-passphrase'
const PW = 'cli user password'
let home: string

async function zt(args: string[], env: Record<string, string> = { ZT_PASSWORD: PW }): Promise<{ code: number, stdout: string, stderr: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: string[] = []
  const err: string[] = []
  stdout.on('data', (d) => out.push(String(d)))
  stderr.on('data', (d) => err.push(String(d)))
  const code = await runCli([...args, '--home', home], { cwd: home, env, stdin: Readable.from([]), stdout, stderr, signal: new AbortController().signal })
  return { code, stdout: out.join(''), stderr: err.join('') }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-cli-user-'))
  await createTenantRoot(home, 'acme', PASS)
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

describe('zt hub user / token', () => {
  let hub: Hub | undefined
  afterAll(async () => { await hub?.stop() })

  it('makes the first operator on a stopped hub\'s store; the password never comes from an argument', async () => {
    expect((await zt(['hub', 'user', 'add', 'root', '--operator', '--password', PW])).code).toBe(2)
    const noPassword = await zt(['hub', 'user', 'add', 'root', '--operator'], {})
    expect(noPassword.code).toBe(2)
    expect(noPassword.stderr).toMatch(/ZT_PASSWORD/)
    expect((await zt(['hub', 'user', 'add', 'bob', '--tenant', 'nope', '--role', 'viewer'])).stderr).toMatch(/no tenant nope/)

    const added = await zt(['hub', 'user', 'add', 'Root', '--operator'])
    expect(added.code, added.stderr).toBe(0)
    expect((await zt(['hub', 'user', 'add', 'bob', '--tenant', 'acme', '--role', 'viewer'])).code).toBe(0)
    const dup = await zt(['hub', 'user', 'add', 'bob', '--tenant', 'acme', '--role', 'viewer'])
    expect([dup.code, dup.stderr]).toEqual([2, expect.stringMatching(/user-exists/)])
    const list = JSON.parse((await zt(['hub', 'user', 'list', '--json'])).stdout) as { name: string, operator: boolean, roles: object }[]
    expect(list).toEqual([
      expect.objectContaining({ name: 'bob', operator: false, roles: { acme: 'viewer' } }),
      expect.objectContaining({ name: 'root', operator: true, roles: {} }),
    ])
  })

  it('then works through the running hub, which has users and so no setup token', async () => {
    const logged: string[] = []
    hub = await startHub({ home, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, log: (l) => logged.push(l) })
    expect(hub.auth.setupToken).toBeUndefined()
    expect(logged.join('\n')).not.toMatch(/setup token/)
    const login = await fetch(`${hub.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'root', password: PW }) })
    expect(await login.json()).toMatchObject({ user: 'root', operator: true })

    // The store is the hub's now: these can only have gone through its API.
    expect((await zt(['hub', 'user', 'add', 'carol', '--tenant', 'acme', '--role', 'analyst'])).code).toBe(0)
    expect(hub.auth.users.get('carol')!.roles).toEqual({ acme: 'analyst' })
    const made = await zt(['hub', 'token', 'create', '--name', 'ci', '--user', 'carol', '--json'])
    expect(made.code, made.stderr).toBe(0)
    const { id, token } = JSON.parse(made.stdout) as { id: string, token: string }
    const me = () => fetch(`${hub!.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(await (await me()).json()).toMatchObject({ user: 'carol', roles: { acme: 'analyst' } })
    const tokens = JSON.parse((await zt(['hub', 'token', 'list', '--json'])).stdout) as { id: string, token?: string }[]
    expect(tokens.map((t) => t.id)).toEqual([id])
    expect(tokens[0]!.token).toBeUndefined()

    expect((await zt(['hub', 'user', 'role', 'carol', '--tenant', 'acme', '--role', 'admin'])).code).toBe(0)
    expect(await (await me()).json()).toMatchObject({ roles: { acme: 'admin' } })
    expect((await zt(['hub', 'token', 'revoke', id])).code).toBe(0)
    expect((await me()).status).toBe(401)
    expect((await zt(['hub', 'user', 'delete', 'bob'])).code).toBe(0)
    expect(hub.auth.users.get('bob')).toBeUndefined()
    const missing = await zt(['hub', 'user', 'delete', 'bob'])
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/unknown-user/)])

    await hub.stop()
    hub = undefined
    // Stopped again: the store holds what the API did.
    const after = JSON.parse((await zt(['hub', 'user', 'list', '--json'])).stdout) as { name: string, roles: object }[]
    expect(after.map((u) => [u.name, u.roles])).toEqual([['carol', { acme: 'admin' }], ['root', {}]])
  }, 30_000)
})
