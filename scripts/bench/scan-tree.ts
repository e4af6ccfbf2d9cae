// The benchmark tree for bench:scan: 10,000 JSON lockfiles (package-lock.json,
// Pipfile.lock, composer.lock, packages.lock.json) holding over a million package entries,
// built from the packages of ../shared/data's lockfile fixtures and, for PyPI, from the
// affected versions of the real PyPI advisories, so matching has real work to do.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const FILES = 10_000
export const PER_FILE = 110

/** ../shared/data beside the repo: the real test data the benches that need it read. */
export const SHARED_DATA = resolve(import.meta.dirname, '../../../shared/data')
/** Where bench:scan keeps its tree (and its advisory DB and cache) between runs; bench:store scans part of the tree too. */
export const SCAN_WORK = join(tmpdir(), 'zt-bench-scan')
/** The advisories the tree's packages are matched against: Go and PyPI. */
export const treeAdvisories = (data: string): string[] => ['osv/go-vulndb/go-vulndb-osv.jsonl', 'osv/pypi-pypa-advisory-database/pypa-osv.jsonl'].map((f) => join(data, f))

type Pkg = [name: string, version: string]

function pools(data: string): Record<string, Pkg[]> {
  const out: Record<string, Pkg[]> = { npm: [], PyPI: [], Packagist: [], NuGet: [] }
  for (const set of ['osv-scanner-v1', 'osv-scalibr']) {
    const { entries } = JSON.parse(readFileSync(join(data, 'lockfiles', set, 'expected.json'), 'utf8')) as { entries: { packages: { name: string, version: string, ecosystem: string }[] }[] }
    for (const e of entries) for (const p of e.packages) if (out[p.ecosystem] && p.version) out[p.ecosystem]!.push([p.name, p.version])
  }
  // Some vulnerable PyPI versions (the newest listed version of each advisory's package),
  // about one in ten of the PyPI pool, so matching finds real advisories.
  const vulnerable: Pkg[] = []
  for (const line of readFileSync(join(data, 'osv/pypi-pypa-advisory-database/pypa-osv.jsonl'), 'utf8').split('\n')) {
    if (!line) continue
    const r = JSON.parse(line) as { affected?: { package?: { name: string }, versions?: string[] }[] }
    for (const a of r.affected ?? []) if (a.package && a.versions?.length) vulnerable.push([a.package.name, a.versions.at(-1)!])
  }
  out.PyPI!.push(...pick(vulnerable, 1, Math.ceil(out.PyPI!.length / 9)))
  // Synthetic siblings widen the small pools so each file can list 110 distinct names.
  for (const eco of Object.keys(out)) {
    const base = out[eco]!
    const n = base.length
    for (let i = 0; base.length < 3000; i++) base.push([`${base[i % n]![0]}-ext${i}`, base[i % n]![1]])
  }
  return out
}

function pick<T>(list: T[], seed: number, n: number): T[] {
  const out: T[] = []
  for (let i = 0; i < n; i++) out.push(list[(seed * 7919 + i * 104729) % list.length]!)
  return out
}

const WRITERS: [string, string, (pkgs: Pkg[]) => unknown][] = [
  ['package-lock.json', 'npm', (pkgs) => ({
    name: 'app', lockfileVersion: 3, requires: true,
    packages: Object.fromEntries([['', { name: 'app' }], ...pkgs.map(([n, v], i) => [`node_modules/${i % 3 ? '' : 'x/node_modules/'}${n}`, { version: v, resolved: `https://registry.npmjs.org/${n}/-/${n}-${v}.tgz`, integrity: 'sha512-' + 'A'.repeat(86) + '==' }])]),
  })],
  ['Pipfile.lock', 'PyPI', (pkgs) => ({
    _meta: { hash: { sha256: 'f'.repeat(64) }, 'pipfile-spec': 6 },
    default: Object.fromEntries(pkgs.map(([n, v]) => [n, { hashes: ['sha256:' + 'a'.repeat(64)], version: `==${v}` }])), develop: {},
  })],
  ['composer.lock', 'Packagist', (pkgs) => ({
    'content-hash': 'x', packages: pkgs.map(([n, v]) => ({ name: n, version: v, source: { type: 'git', url: `https://github.com/${n}.git`, reference: '0'.repeat(40) } })), 'packages-dev': [],
  })],
  ['packages.lock.json', 'NuGet', (pkgs) => ({
    version: 1, dependencies: { 'net8.0': Object.fromEntries(pkgs.map(([n, v]) => [n, { type: 'Transitive', resolved: v, contentHash: 'x' }])) },
  })],
]

/** Builds the tree once (a `.complete` marker keeps it between runs); returns its path. */
export function ensureTree(dir: string, data: string): string {
  if (existsSync(join(dir, '.complete'))) return dir
  const p = pools(data)
  for (let i = 0; i < FILES; i++) {
    const [file, eco, write] = WRITERS[i % WRITERS.length]!
    const d = join(dir, `svc-${Math.floor(i / 100)}`, `app-${i}`)
    mkdirSync(d, { recursive: true })
    // Distinct names per file: lockfiles list each package once.
    const pkgs = [...new Map(pick(p[eco]!, i, PER_FILE * 2).map((x) => [x[0], x])).values()].slice(0, PER_FILE)
    writeFileSync(join(d, file), JSON.stringify(write(pkgs), null, 2))
  }
  writeFileSync(join(dir, '.complete'), '')
  return dir
}
