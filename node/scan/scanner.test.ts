// The scan cache as the scanner uses it: an unchanged tree is neither read nor matched
// again, and gives back exactly what the cold scan found.
import { describe, it, expect } from 'vitest'
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseOsvRecord, type OsvRecord } from '../../advisories/index.ts'
import type { Finding } from '../../crdt/index.ts'
import { baseEcosystem, normalizeName, purlOf } from '../../protocol/index.ts'
import { ScanCache } from './scan-cache.ts'
import { scan } from './scanner.ts'
import type { AdvisorySource } from './vuln-matcher.ts'

const DEMO = resolve(import.meta.dirname, '../../scripts/demo')
const later = () => Date.now() + 60_000

/** The demo advisories in memory, with a generation the test moves and a count of lookups. */
type TestSource = AdvisorySource & { lookups: number, generationId: string, add(r: OsvRecord): void }

async function advisories(): Promise<TestSource> {
  const records = (await readFile(join(DEMO, 'advisories.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => parseOsvRecord(JSON.parse(l)))
  const key = (eco: string, name: string) => `${baseEcosystem(eco)}\0${normalizeName(eco, name)}`
  const source: TestSource = {
    lookups: 0,
    generationId: 'g1',
    add(r) { records.push(r) },
    generation() { return this.generationId },
    async recordsFor(ecosystem, name) {
      this.lookups++
      return records.filter((r) => r.affected.some((a) => a.package && key(a.package.ecosystem, a.package.name) === key(ecosystem, name)))
    },
  }
  return source
}

describe('scan with a cache', () => {
  it('an unchanged tree is read and matched zero times, and yields the same findings; a new DB generation re-matches without reading', async () => {
    const home = await mkdtemp(join(tmpdir(), 'zt-scanner-'))
    const tree = join(home, 'tree')
    await cp(join(DEMO, 'tree'), tree, { recursive: true })
    const cache = await ScanCache.open(join(home, 'cache'))
    const source = await advisories()
    // A clock a minute ahead: the files just copied are past the racy window (stamps.ts).
    const opts = { roots: [tree], advisories: source, cache, hmacKey: new Uint8Array(32), threads: 0, now: later }

    const cold = await scan(opts)
    expect(cold.stats.examined).toBeGreaterThan(3)
    // Every package leaves the scanner with the purl its ecosystem, name and version make.
    expect(cold.packages.length).toBeGreaterThan(3)
    for (const p of cold.packages) expect(p.purl).toBe(purlOf(p.ecosystem, p.name, p.version))
    expect(cold.packages.some((p) => p.purl?.startsWith('pkg:pypi/'))).toBe(true)
    expect(cold.findings.filter((f) => f.kind === 'vuln').length).toBeGreaterThan(3)
    const lookups = source.lookups

    const warm = await scan(opts)
    expect(warm.stats).toMatchObject({ examined: 0, cached: cold.stats.examined, packages: cold.stats.packages })
    expect(source.lookups).toBe(lookups)
    expect(warm.findings).toEqual(cold.findings)
    expect(JSON.stringify(warm.findings)).toBe(JSON.stringify(cold.findings))
    expect(warm.packages).toEqual(cold.packages)

    // The advisories change: findings follow them, still without reading a file.
    source.add(parseOsvRecord({ id: 'ZT-TEST-1', modified: '2026-01-01T00:00:00Z', summary: 'every flask', affected: [{ package: { ecosystem: 'PyPI', name: 'flask' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }] }))
    source.generationId = 'g2'
    const regen = await scan(opts)
    expect(regen.stats.examined).toBe(0)
    expect(regen.findings.map((f) => f.rule)).toContain('ZT-TEST-1')
    expect((await scan(opts)).findings).toEqual(regen.findings)

    // Under another root the same files have other paths: their findings are placed again.
    const moved = await scan({ ...opts, roots: [join(tree, 'web')] })
    expect(moved.stats.examined).toBe(0)
    expect(moved.findings.filter((f) => f.kind === 'vuln').every((f) => f.path === 'package-lock.json')).toBe(true)

    // A changed file is read again; the rest are not.
    await writeFile(join(tree, 'api/requirements.txt'), 'flask==2.0.1\n')
    const changed = await scan(opts)
    expect(changed.stats.examined).toBe(1)
    await cache.close()
  })
})

describe('a rescan never hides a change', () => {
  const vulns = (r: { findings: Finding[] }) => r.findings.filter((f) => f.kind === 'vuln').map((f) => `${f.path} ${f.package}@${f.version} ${f.rule}`).sort()
  /** Waits out the filesystem clock's tick (a few ms), so the next change gets a new ctime. */
  const tick = () => new Promise((r) => setTimeout(r, 20))

  async function setup() {
    const home = await mkdtemp(join(tmpdir(), 'zt-rescan-'))
    const tree = join(home, 'tree')
    await cp(join(DEMO, 'tree'), tree, { recursive: true })
    const cache = await ScanCache.open(join(home, 'cache'))
    const opts = { roots: [tree], advisories: await advisories(), cache, secrets: false, threads: 0, now: later }
    return { home, tree, cache, opts }
  }

  it('a scan for secrets after a --no-secrets scan looks through the lockfiles the cache holds, and the next takes them from it', async () => {
    const { tree, cache, opts } = await setup()
    // A token in a lockfile's comment: the --no-secrets scan caches this file with no secrets, having looked for none.
    await writeFile(join(tree, 'api/requirements.txt'), `${await readFile(join(tree, 'api/requirements.txt'), 'utf8')}\n# GITHUB_TOKEN=ghp_Zt7Demo4c9Xv2LqP8sW1mN6bR3yK5hJ0uTfE\n`)
    const secrets = (r: { findings: Finding[] }) => r.findings.filter((f) => f.kind === 'secret').map((f) => f.path).sort()
    const withSecrets = { ...opts, secrets: true, hmacKey: new Uint8Array(32).fill(7) }
    const first = await scan(opts)
    expect(secrets(first)).toEqual([])
    const second = await scan(withSecrets)
    expect(secrets(second)).toEqual(['api/requirements.txt', 'deploy/.env', 'deploy/.env'])
    // The lockfiles were read again for secrets (the .env was not a file of the first scan).
    expect(second.stats.examined).toBe(4)
    const third = await scan(withSecrets)
    expect(third.stats.examined).toBe(0)
    expect(secrets(third)).toEqual(secrets(second))
    await cache.close()
  })

  it('answers a file touched but not changed from its entry: read and hashed, not parsed or matched, its new stamp kept', async () => {
    const { tree, cache, opts } = await setup()
    const source = opts.advisories
    const cold = await scan(opts)
    const path = join(tree, 'api/requirements.txt')
    await utimes(path, 1_700_000_000, 1_700_000_000)
    const lookups = source.lookups
    const touched = await scan(opts)
    expect(touched.stats.examined).toBe(1)
    expect(source.lookups).toBe(lookups)
    expect(vulns(touched)).toEqual(vulns(cold))
    expect(touched.stats.packages).toBe(cold.stats.packages)
    expect(touched.packages).toEqual(cold.packages)
    // The new stamp is the entry's now: nothing is read.
    const next = await scan(opts)
    expect(next.stats.examined).toBe(0)
    expect(vulns(next)).toEqual(vulns(cold))
    // A real change under the same touch is still seen.
    await writeFile(path, (await readFile(path, 'utf8')).replace('requests==2.25.0', 'requests==2.31.0'))
    await utimes(path, 1_700_000_100, 1_700_000_100)
    const changed = await scan(opts)
    expect(changed.stats.examined).toBe(1)
    expect(vulns(changed).some((v) => v.includes('requests@'))).toBe(false)
    await cache.close()
  })

  it('sees a file changed in place with its size and mtime kept', async () => {
    const { tree, cache, opts } = await setup()
    const path = join(tree, 'api/requirements.txt')
    // A whole-second mtime, which utimes can give back exactly.
    await utimes(path, 1_700_000_000, 1_700_000_000)
    expect(vulns(await scan(opts))).toContain('api/requirements.txt requests@2.25.0 GHSA-j8r2-6x86-q33q')
    const before = await stat(path)
    await tick()
    // Same length, same mtime: only the ctime tells (and the racy window, had it been this tick).
    await writeFile(path, (await readFile(path, 'utf8')).replace('requests==2.25.0', 'requests==2.31.0'))
    await utimes(path, 1_700_000_000, 1_700_000_000)
    const after = await stat(path)
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs])
    expect(after.ctimeMs).not.toBe(before.ctimeMs)
    const rescan = await scan(opts)
    expect(rescan.stats.examined).toBe(1)
    expect(vulns(rescan).some((v) => v.includes('requests@'))).toBe(false)
    await cache.close()
  })

  it('sees files added to a directory, removed with it, renamed, and reached through a new link; and --exclude changing', async () => {
    const { home, tree, cache, opts } = await setup()
    const cold = await scan(opts)
    await tick()
    await writeFile(join(tree, 'api/requirements-dev.txt'), 'requests==2.25.0\n')
    await rm(join(tree, 'svc'), { recursive: true })
    await rename(join(tree, 'web/package-lock.json'), join(tree, 'web/npm-shrinkwrap.json'))
    await cp(join(DEMO, 'tree/web/package-lock.json'), join(home, 'elsewhere/package-lock.json'), { recursive: true })
    await symlink(join(home, 'elsewhere'), join(tree, 'linked'))
    const rescan = await scan(opts)
    const expected = (await scan({ ...opts, cache: undefined })).findings
    expect(rescan.findings).toEqual(expected)
    expect(vulns(rescan)).toContain('api/requirements-dev.txt requests@2.25.0 GHSA-j8r2-6x86-q33q')
    expect(vulns(rescan).filter((v) => v.startsWith('linked/package-lock.json lodash@')).length).toBeGreaterThan(0)
    expect(vulns(rescan).filter((v) => v.startsWith('web/npm-shrinkwrap.json ')).length).toBe(vulns(cold).filter((v) => v.startsWith('web/package-lock.json ')).length)
    expect(vulns(rescan).some((v) => v.startsWith('svc/') || v.startsWith('web/package-lock.json'))).toBe(false)
    // What went from the tree went from the cache.
    const held = await cache.readUnder([tree])
    expect([join(tree, 'svc/go.mod'), join(tree, 'web/package-lock.json')].map((p) => held.take(p))).toEqual([undefined, undefined])
    expect(held.take(join(tree, 'web/npm-shrinkwrap.json'))).toBeDefined()
    // The excluded subtree goes, and comes back from the cache when the exclude does.
    const excluded = await scan({ ...opts, exclude: ['api/**'] })
    expect(vulns(excluded).some((v) => v.startsWith('api/'))).toBe(false)
    const back = await scan(opts)
    expect(back.findings).toEqual(expected)
    await cache.close()
  })

  it('reads again, rather than caches, a file changed within the racy window', async () => {
    const { tree, cache, opts } = await setup()
    const written = (await stat(join(tree, 'api/requirements.txt'))).mtimeMs
    // The scan's clock 50 ms after the files were written: all of them are too fresh to cache.
    const fresh = { ...opts, now: () => written + 50 }
    const files = (await scan(fresh)).stats.examined
    expect(files).toBeGreaterThanOrEqual(3)
    expect((await scan(fresh)).stats.examined).toBe(files)
    expect((await scan(opts)).stats.examined).toBe(files)
    expect((await scan(opts)).stats.examined).toBe(0)
    await cache.close()
  })
})

describe('scan on worker threads', () => {
  it('finds on a pool of workers exactly what it finds on the calling thread: packages, findings, secrets and errors, in the same order', async () => {
    const home = await mkdtemp(join(tmpdir(), 'zt-scanner-pool-'))
    const tree = join(home, 'tree')
    // Enough files for several batches on the pool (a small tree is examined on the calling thread).
    for (let i = 0; i < 6; i++) await cp(join(DEMO, 'tree'), join(tree, `copy-${i}`), { recursive: true })
    await writeFile(join(tree, 'copy-0', 'package-lock.json'), '{"lockfileVersion": 3, "packages": {')
    const source = await advisories()
    const hmacKey = new Uint8Array(32).fill(7)
    const inline = await scan({ roots: [tree], advisories: source, hmacKey, threads: 0 })
    const pooled = await scan({ roots: [tree], advisories: source, hmacKey, threads: 2 })
    expect(inline.stats.examined).toBeGreaterThanOrEqual(8)
    expect(inline.findings.some((f) => f.kind === 'secret')).toBe(true)
    expect(inline.findings.some((f) => f.kind === 'vuln')).toBe(true)
    expect(inline.errors.map((e) => e.path)).toEqual(['copy-0/package-lock.json'])
    expect(pooled.packages).toEqual(inline.packages)
    expect(pooled.findings).toEqual(inline.findings)
    expect(pooled.errors).toEqual(inline.errors)
    expect(pooled.stats).toMatchObject({ examined: inline.stats.examined, packages: inline.stats.packages })
  })
})

describe('scan on worker threads, many batches', () => {
  it('matches each file\'s own packages when every worker numbers the keys it meets in its own order', async () => {
    const home = await mkdtemp(join(tmpdir(), 'zt-scanner-keys-'))
    const tree = join(home, 'tree')
    // 300 files (five batches, so both workers get several) listing seeded random versions of
    // twelve packages, half of the versions affected: a file's findings name exactly its own.
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    for (let i = 0; i < 300; i++) {
      const lines: string[] = []
      for (let k = 0; k < 12; k++) if (next() < 0.5) lines.push(`pool-${k}==1.0.${Math.floor(next() * 10)}`)
      await mkdir(join(tree, `app-${i}`), { recursive: true })
      await writeFile(join(tree, `app-${i}`, 'requirements.txt'), lines.join('\n') + '\n')
    }
    const source = await advisories()
    for (let k = 0; k < 12; k += 2) {
      source.add(parseOsvRecord({ id: `ZT-POOL-${k}`, modified: '2026-01-01T00:00:00Z', summary: `pool-${k} before 1.0.5`, affected: [{ package: { ecosystem: 'PyPI', name: `pool-${k}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.5' }] }] }] }))
    }
    const inline = await scan({ roots: [tree], advisories: source, threads: 0 })
    const pooled = await scan({ roots: [tree], advisories: source, threads: 2 })
    const vulns = inline.findings.filter((f) => f.kind === 'vuln')
    expect(vulns.length).toBeGreaterThan(300)
    for (const f of vulns) {
      const version = Number(f.version!.split('.')[2])
      expect(version).toBeLessThan(5)
      expect(f.rule).toBe(`ZT-POOL-${f.package!.slice('pool-'.length)}`)
    }
    expect(pooled.findings).toEqual(inline.findings)
    expect(pooled.stats).toMatchObject({ examined: 300, packages: inline.stats.packages, findings: inline.stats.findings })
  })
})
