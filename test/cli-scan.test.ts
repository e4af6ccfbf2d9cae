// zt db import / status and zt scan, run as users run them: the real process, a temp home,
// the demo tree and advisories that `npm start` uses.
import { describe, it, expect, beforeAll } from 'vitest'
import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const ZT = join(ROOT, 'bin/zt.js')
const DEMO = join(ROOT, 'scripts/demo')

function zt(args: string[], env: Record<string, string>): Promise<{ code: number, stdout: string, stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [ZT, ...args], { env: { PATH: process.env.PATH!, ...env }, timeout: 60_000, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    })
  })
}

let env: Record<string, string>
let tree: string
let planted: string[]

beforeAll(async () => {
  const home = await mkdtemp(join(tmpdir(), 'zt-scan-home-'))
  env = { ZT_HOME: home }
  tree = join(home, 'tree')
  await cp(join(DEMO, 'tree'), tree, { recursive: true })
  planted = [...(await readFile(join(tree, 'deploy/.env'), 'utf8')).matchAll(/=(\S{20,})$/gm)].map((m) => m[1]!)
  await mkdir(join(tree, 'broken'))
  await writeFile(join(tree, 'broken/package-lock.json'), '{ not json')
})

describe('zt db and zt scan', () => {
  it('without an advisory DB, reports inventory and secrets and names zt db import', async () => {
    const r = await zt(['scan', tree, '--format', 'json'], env)
    expect(r.stderr).toMatch(/zt db import/)
    const out = JSON.parse(r.stdout)
    expect(out.findings.every((f: { kind: string }) => f.kind === 'secret')).toBe(true)
    expect(out.packages.length).toBeGreaterThan(5)
  })

  it('imports advisories and reports their status', async () => {
    const imp = await zt(['db', 'import', join(DEMO, 'advisories.jsonl')], env)
    expect(imp.code, imp.stderr).toBe(0)
    expect(imp.stdout).toMatch(/6 added/)
    const again = await zt(['db', 'import', join(DEMO, 'advisories.jsonl'), '--json'], env)
    expect(JSON.parse(again.stdout)[0]).toMatchObject({ added: 0, unchanged: 6 })
    const status = JSON.parse((await zt(['db', 'status', '--json'], env)).stdout)
    expect(status).toMatchObject({ total: 6, ecosystems: { npm: 3, PyPI: 2, Go: 1 } })
  })

  it('finds the demo vulnerabilities and secrets; a broken lockfile is an error entry, not a failure', async () => {
    const r = await zt(['scan', tree, '--format', 'json'], env)
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    const ids = out.findings.filter((f: { kind: string }) => f.kind === 'vuln').map((f: { rule: string, package: string }) => `${f.package}:${f.rule}`).sort()
    expect(ids).toEqual([
      'golang.org/x/net:GHSA-4374-p667-p6c8', 'jinja2:GHSA-h5c8-rqwp-cp95', 'lodash:GHSA-35jh-r3h4-6jhm', 'lodash:GHSA-p6mc-m468-83gw',
      'minimist:GHSA-xvch-5gv4-984h', 'requests:GHSA-j8r2-6x86-q33q', 'stdlib:GHSA-4374-p667-p6c8',
    ])
    const lodash = out.findings.find((f: { rule: string }) => f.rule === 'GHSA-35jh-r3h4-6jhm')
    expect(lodash).toMatchObject({ severity: 'high', score: 7.2, fixedIn: ['4.17.21'], aliases: ['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'], path: 'web/package-lock.json' })
    expect(out.findings.filter((f: { kind: string }) => f.kind === 'secret').map((f: { rule: string }) => f.rule).sort()).toEqual(['github-pat', 'stripe-secret-key'])
    expect(out.errors).toEqual([{ path: 'broken/package-lock.json', message: expect.stringMatching(/package-lock: .*not valid JSON/) }])
    expect(r.stderr).toMatch(/broken\/package-lock.json/)
    expect(out.stats).toMatchObject({ packages: out.packages.length, findings: out.findings.length })
  })

  it('never prints a secret in the clear, in any format', async () => {
    expect(planted.length).toBe(2)
    for (const format of ['table', 'json', 'sarif', 'cyclonedx']) {
      const r = await zt(['scan', tree, '--format', format], env)
      for (const secret of planted) expect(r.stdout + r.stderr, format).not.toContain(secret.slice(4, -4))
    }
  })

  it('writes SARIF 2.1.0 and CycloneDX 1.6', async () => {
    const sarif = JSON.parse((await zt(['scan', tree, '--format', 'sarif'], env)).stdout)
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].results.length).toBe(9)
    expect(sarif.runs[0].results.every((x: { ruleIndex: number, ruleId: string }) => sarif.runs[0].tool.driver.rules[x.ruleIndex].id === x.ruleId)).toBe(true)
    const bom = JSON.parse((await zt(['scan', tree, '--format', 'cyclonedx'], env)).stdout)
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' })
    const refs = new Set(bom.components.map((c: { 'bom-ref': string }) => c['bom-ref']))
    expect(bom.vulnerabilities.length).toBe(6)
    for (const v of bom.vulnerabilities) for (const a of v.affects) expect(refs.has(a.ref)).toBe(true)
  })

  it('--fail-on sets the threshold; a clean tree exits 0', async () => {
    const clean = await mkdtemp(join(tmpdir(), 'zt-clean-'))
    await writeFile(join(clean, 'requirements.txt'), 'requests==2.31.0\n')
    const ok = await zt(['scan', clean], env)
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/1 packages in 1 files; 0 findings/)
    expect((await zt(['scan', tree, '--no-secrets', '--fail-on', 'critical'], env)).code).toBe(1)
    const onlyMedium = await mkdtemp(join(tmpdir(), 'zt-medium-'))
    await writeFile(join(onlyMedium, 'requirements.txt'), 'jinja2==3.1.2\n')
    expect((await zt(['scan', onlyMedium, '--fail-on', 'high'], env)).code).toBe(0)
    expect((await zt(['scan', onlyMedium, '--fail-on', 'medium'], env)).code).toBe(1)
    expect((await zt(['scan', onlyMedium, '--fail-on', 'severe'], env)).code).toBe(2)
  })

  it('a scan that wants the inventory after one that did not re-reads only what it lacks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-inv-'))
    await cp(join(DEMO, 'tree'), dir, { recursive: true })
    const table = await zt(['scan', dir], env)
    expect(table.code).toBe(1)
    const json = JSON.parse((await zt(['scan', dir, '--format', 'json'], env)).stdout)
    expect(json.stats.examined).toBe(3)
    expect(json.packages.map((p: { name: string }) => p.name).sort()).toEqual(['flask', 'golang.org/x/net', 'golang.org/x/text', 'jinja2', 'lodash', 'minimist', 'mocha', 'requests', 'stdlib'])
    expect(JSON.parse((await zt(['scan', dir, '--format', 'json'], env)).stdout).stats.examined).toBe(0)
  })

  it('an advisory import makes an unchanged tree match again (cached findings follow the DB)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-regen-'))
    await writeFile(join(dir, 'requirements.txt'), 'flask==2.0.1\n')
    const rules = async () => JSON.parse((await zt(['scan', dir, '--format', 'json'], env)).stdout).findings.map((f: { rule: string }) => f.rule)
    expect(await rules()).toEqual([])
    const extra = join(dir, 'extra.jsonl')
    await writeFile(extra, JSON.stringify({ id: 'ZT-TEST-2026-0001', modified: '2026-11-01T00:00:00Z', summary: 'test advisory for flask', affected: [{ package: { ecosystem: 'PyPI', name: 'flask' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.2.5' }] }] }] }) + '\n')
    expect((await zt(['db', 'import', extra], env)).code).toBe(0)
    expect(await rules()).toEqual(['ZT-TEST-2026-0001'])
  })

  it('a rescan of an unchanged tree reads nothing again and finds the same', async () => {
    const first = JSON.parse((await zt(['scan', tree, '--format', 'json'], env)).stdout)
    const second = JSON.parse((await zt(['scan', tree, '--format', 'json'], env)).stdout)
    expect(second.stats.examined).toBe(0)
    expect(second.findings.map((f: { id: string }) => f.id).sort()).toEqual(first.findings.map((f: { id: string }) => f.id).sort())
  })
})

describe('zt scan cache and side files', () => {
  it('a changed side file (an -r include) invalidates the cached parse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-side-'))
    await writeFile(join(dir, 'requirements.txt'), '-r base.txt\nflask==2.0.1\n')
    await writeFile(join(dir, 'base.txt'), 'requests==2.31.0\n')
    const names = async () => JSON.parse((await zt(['scan', dir, '--format', 'json', '--no-secrets'], env)).stdout).packages.map((p: { name: string, version: string }) => `${p.name}@${p.version}`).sort()
    expect(await names()).toEqual(['flask@2.0.1', 'requests@2.31.0'])
    await writeFile(join(dir, 'base.txt'), 'requests==2.25.0\n')
    expect(await names()).toEqual(['flask@2.0.1', 'requests@2.25.0'])
  })
})
