// zt hub db import / import-epss / import-kev / status, run as users run them: the real
// process and a temp home, on a hub data dir no hub is running on.
import { describe, it, expect, beforeAll } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openHubDb, hubDbDir } from '../hub/index.ts'
import { start, stop } from './zt-processes.ts'

const ROOT = resolve(import.meta.dirname, '..')
const ZT = join(ROOT, 'bin/zt.js')
const FIX = join(ROOT, 'hub/enrich/fixtures')

function zt(args: string[], env: Record<string, string>): Promise<{ code: number, stdout: string, stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [ZT, ...args], { env: { PATH: process.env.PATH!, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    })
  })
}

let env: Record<string, string>
let home: string
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-hubdb-home-'))
  env = { ZT_HOME: home }
})

describe('zt hub db', () => {
  it('imports OSV, EPSS and KEV into HOME/hub/advisories and reports them', async () => {
    const none = await zt(['hub', 'db', 'status'], env)
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/zt hub db import/)

    const imp = await zt(['hub', 'db', 'import', join(ROOT, 'scripts/demo/advisories.jsonl')], env)
    expect(imp.code, imp.stderr).toBe(0)
    expect(imp.stdout).toMatch(/6 added/)
    const epss = await zt(['hub', 'db', 'import-epss', join(FIX, 'epss-sample.csv'), '--json'], env)
    expect(epss.code, epss.stderr).toBe(0)
    expect(JSON.parse(epss.stdout)).toMatchObject({ imported: 9, invalid: 3, date: '2025-06-01' })
    expect(epss.stderr).toMatch(/line 11: not a CVE id/)
    const kev = await zt(['hub', 'db', 'import-kev', join(FIX, 'kev-sample.json')], env)
    expect(kev.code, kev.stderr).toBe(0)
    expect(kev.stdout).toMatch(/2 known exploited CVEs \(catalog 2025\.06\.02\), 2 bad entries/)

    const status = JSON.parse((await zt(['hub', 'db', 'status', '--json'], env)).stdout)
    expect(status).toMatchObject({ advisories: { total: 6 }, epss: { count: 9 }, kev: { count: 2 } })
    const text = await zt(['hub', 'db', 'status'], env)
    expect(text.stdout).toMatch(/EPSS: 9 CVEs, scores of 2025-06-01/)

    // The same DB, read in-process at the documented place.
    const db = await openHubDb(hubDbDir(join(home, 'hub')))
    try {
      expect(await db.kevOf('CVE-2021-23337')).toMatchObject({ vendor: 'Lodash' })
      // While it is held (as a running hub holds it), the CLI refuses with a way forward.
      const held = await zt(['hub', 'db', 'import-kev', join(FIX, 'kev-sample.json')], env)
      expect(held.code).toBe(2)
      expect(held.stderr).toMatch(/in use by another process.*running hub/)
    } finally {
      await db.close()
    }
  })

  it('says what is wrong with bad input, and that a running hub needs its API or a restart', async () => {
    const d = await mkdtemp(join(tmpdir(), 'zt-hubdb-bad-'))
    await writeFile(join(d, 'x.csv'), 'nope\n')
    const bad = await zt(['hub', 'db', 'import-epss', join(d, 'x.csv'), '--data', join(d, 'hub')], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/EPSS header/)
    const missing = await zt(['hub', 'db', 'import', join(d, 'nothing.zip')], env)
    expect(missing.stderr).toMatch(/no such file/)
    const help = await zt(['hub', 'db', 'import', '--help'], env)
    expect(help.stdout).toMatch(/running hub.*API.*start it again/)
  })

  it('hands EPSS, KEV and OpenVEX files to a running hub (which holds the DB) over its API', async () => {
    const h = await mkdtemp(join(tmpdir(), 'zt-hubdb-running-'))
    const henv = { ZT_HOME: h, ZT_PASSPHRASE: 'hub-db-running-pass' }
    expect((await zt(['tenant', 'create', 'acme'], henv)).code).toBe(0)
    const hub = await start(['hub', 'start', '--listen', '/ip4/127.0.0.1/tcp/0', '--http', '0'], henv, /^http /m)
    try {
      const kev = await zt(['hub', 'db', 'import-kev', join(FIX, 'kev-sample.json'), '--json'], henv)
      expect(kev.code, kev.stderr).toBe(0)
      expect(JSON.parse(kev.stdout)).toMatchObject({ imported: expect.any(Number), generation: 1 })
      const epss = await zt(['hub', 'db', 'import-epss', join(FIX, 'epss-sample.csv')], henv)
      expect(epss.code, epss.stderr).toBe(0)
      expect(epss.stdout).toMatch(/CVEs scored/)
      // A bad file is the hub's named 400, not a crash of either side.
      const d = await mkdtemp(join(tmpdir(), 'zt-hubdb-bad-'))
      await writeFile(join(d, 'x.csv'), 'nope\n')
      const bad = await zt(['hub', 'db', 'import-epss', join(d, 'x.csv')], henv)
      expect(bad.code).toBe(2)
      expect(bad.stderr).toMatch(/hub: .*EPSS header/)
      // OpenVEX statements into the tenant's suppressions; again replaces them.
      const vex = await zt(['hub', 'vex', 'import', '--tenant', 'acme', join(FIX, 'openvex-sample.json'), '--json'], henv)
      expect(vex.code, vex.stderr).toBe(0)
      const first = JSON.parse(vex.stdout) as { added: number, replaced: number }
      expect(first.added).toBeGreaterThan(0)
      const again = JSON.parse((await zt(['hub', 'vex', 'import', '--tenant', 'acme', join(FIX, 'openvex-sample.json'), '--json'], henv)).stdout) as { added: number, replaced: number }
      expect(again).toMatchObject({ added: 0, replaced: first.added })
      const listed = JSON.parse((await zt(['hub', 'vex', 'list', '--tenant', 'acme', '--json'], henv)).stdout) as { vulnerability: string, active: boolean }[]
      expect(listed.map((l) => l.vulnerability)).toContain('CVE-2021-23337')
      expect(listed.find((l) => l.vulnerability === 'GHSA-j8r2-6x86-q33q')?.active).toBe(false) // expired
      const other = await zt(['hub', 'vex', 'list', '--tenant', 'globex'], henv)
      expect(other.code).toBe(2)
      expect(other.stderr).toMatch(/unknown-tenant/)
    } finally {
      await stop(hub)
    }
  })
})
