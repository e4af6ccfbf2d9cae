// The scan cache as the scanner uses it: an unchanged tree is neither read nor matched
// again, and gives back exactly what the cold scan found.
import { describe, it, expect } from 'vitest'
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseOsvRecord, type OsvRecord } from '../../advisories/index.ts'
import { baseEcosystem, normalizeName } from '../../protocol/index.ts'
import { ScanCache } from './scan-cache.ts'
import { scan } from './scanner.ts'
import type { AdvisorySource } from './vuln-matcher.ts'

const DEMO = resolve(import.meta.dirname, '../../scripts/demo')

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
    const opts = { roots: [tree], advisories: source, cache, hmacKey: new Uint8Array(32), threads: 0 }

    const cold = await scan(opts)
    expect(cold.stats.examined).toBeGreaterThan(3)
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
