// The README's trust flow, run the way users run it: the real `zt` process, a temp home.
import { describe, it, expect, beforeAll } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ZT = resolve(import.meta.dirname, '../bin/zt.js')

interface Run { code: number, stdout: string, stderr: string }

function zt(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [ZT, ...args], { env: { PATH: process.env.PATH!, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    })
    if (input !== undefined) child.stdin!.end(input)
    else child.stdin!.end()
  })
}

let home: string
let env: Record<string, string>
let agentDir: string

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-home-'))
  agentDir = join(home, 'agent')
  env = { ZT_HOME: home, ZT_PASSPHRASE: 'correct horse battery staple' }
})

describe('zt tenant / agent / keys (README flow)', () => {
  it('create → init → sign → verify valid → revoke → verify revoked', async () => {
    const created = await zt(['tenant', 'create', 'acme', '--json'], env)
    expect(created.code, created.stderr).toBe(0)
    expect(JSON.parse(created.stdout)).toMatchObject({ tenant: 'acme', publicKey: expect.stringMatching(/^[0-9a-f]{64}$/) })

    const init = await zt(['agent', 'init', '--data', agentDir], env)
    expect(init.code, init.stderr).toBe(0)
    const agent = init.stdout.trim()
    expect(agent).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]+$/)
    expect((await stat(join(agentDir, 'agent.key'))).mode & 0o777).toBe(0o600)
    expect((await zt(['agent', 'init', '--data', agentDir], env)).code).toBe(2)

    const certFile = join(home, 'agent.cert')
    const signed = await zt(['keys', 'sign-agent', '--tenant', 'acme', '--agent', agent, '--name', 'build-01', '--out', certFile], env)
    expect(signed.code, signed.stderr).toBe(0)
    expect(await readFile(certFile, 'utf8')).toMatch(/^-----BEGIN ZEROTRACE CERTIFICATE-----/)

    const valid = await zt(['keys', 'verify', certFile, '--tenant', 'acme'], env)
    expect([valid.code, valid.stdout.trim()]).toEqual([0, 'valid'])

    const list = await zt(['keys', 'list', '--tenant', 'acme', '--json'], env)
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ serial: 1, agentId: agent, name: 'build-01', roles: ['agent'], status: 'valid' })])

    const revoked = await zt(['keys', 'revoke', '--tenant', 'acme', '--agent', agent, '--reason', 'host decommissioned'], env)
    expect(revoked.code, revoked.stderr).toBe(0)
    const after = await zt(['keys', 'verify', certFile, '--tenant', 'acme'], env)
    expect([after.code, after.stdout.trim()]).toEqual([1, 'revoked'])

    // A re-issued certificate for the revoked key stays revoked.
    const again = await zt(['keys', 'sign-agent', '--tenant', 'acme', '--agent', agent, '--name', 'build-01', '--out', certFile], env)
    expect(again.code).toBe(0)
    expect((await zt(['keys', 'verify', certFile, '--tenant', 'acme'], env)).stdout.trim()).toBe('revoked')

    const crl = await zt(['keys', 'crl', '--tenant', 'acme', '--json'], env)
    expect(JSON.parse(crl.stdout)).toMatchObject({ tenant: 'acme', version: 2, entries: [{ serial: 1, subject: agent, reason: 'host decommissioned' }] })
  })

  it('a certificate with one character changed fails verification (exit 1)', async () => {
    const agent = (await zt(['agent', 'init', '--data', join(home, 'agent2'), '--json'], env))
    const agentId = JSON.parse(agent.stdout).agentId as string
    const certFile = join(home, 'agent2.cert')
    expect((await zt(['keys', 'sign-agent', '--tenant', 'acme', '--agent', agentId, '--name', 'b2', '--out', certFile], env)).code).toBe(0)
    const text = await readFile(certFile, 'utf8')
    const lines = text.split('\n')
    const i = 20
    lines[2] = lines[2]!.slice(0, i) + (lines[2]![i] === 'Q' ? 'R' : 'Q') + lines[2]!.slice(i + 1)
    await writeFile(certFile, lines.join('\n'))
    const r = await zt(['keys', 'verify', certFile, '--tenant', 'acme'], env)
    expect(r.code).toBe(1)
    expect(['bad-signature', 'malformed', 'unknown-issuer', 'bad-armor']).toContain(r.stdout.trim())
  })

  it('errors are one line with exit 2, the stack only with ZT_DEBUG=1', async () => {
    const r = await zt(['keys', 'sign-agent', '--tenant', 'acme'], env)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--agent is required/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    const wrong = await zt(['tenant', 'create', 'acme'], env)
    expect(wrong.code).toBe(2)
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1)
    const debug = await zt(['tenant', 'create', 'acme'], { ...env, ZT_DEBUG: '1' })
    expect(debug.stderr).toMatch(/\n\s+at /)
    expect((await zt(['nonsense'], env)).code).toBe(2)
  })

  it('without ZT_PASSPHRASE and without a TTY it fails at once, never hangs', async () => {
    const r = await zt(['tenant', 'create', 'globex'], { ZT_HOME: home })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/ZT_PASSPHRASE/)
  })

  it('a wrong passphrase is a clear error', async () => {
    const agent = JSON.parse((await zt(['agent', 'init', '--data', join(home, 'agent3'), '--json'], env)).stdout).agentId as string
    const r = await zt(['keys', 'sign-agent', '--tenant', 'acme', '--agent', agent, '--name', 'x'], { ...env, ZT_PASSPHRASE: 'wrong passphrase' })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/wrong passphrase.*\(bad-passphrase\)/)
  })

  it('every command answers --help', async () => {
    const top = await zt(['--help'], env)
    expect(top.code).toBe(0)
    const cmds = [...top.stdout.matchAll(/^ {2}zt ([a-z-]+(?: [a-z-]+)*)/gm)].map((m) => m[1]!.trim())
    expect(cmds).toContain('keys sign-agent')
    for (const c of cmds) {
      const r = await zt([...c.split(' '), '--help'], env)
      expect(r.code, c).toBe(0)
      expect(r.stdout, c).toMatch(/usage: zt /)
    }
  })
})
