// npm run report:fixtures — parser accuracy over ../shared/data/lockfiles: per ecosystem,
// fixtures whose format ZeroTrace supports / all fixtures, and exact (name, version,
// ecosystem) multiset matches among the supported ones.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fixtureFormats, parsers } from '../node/scan/lockfiles/index.ts'
import { normalizeName } from '../protocol/index.ts'

const DATA = join(import.meta.dirname, '../../shared/data/lockfiles')
if (!existsSync(DATA)) { console.log(`no fixtures: ${DATA} is absent`); process.exit(0) }

const ECOSYSTEM: Record<string, string> = {
  apk: 'Alpine', dpkg: 'Debian', cargo: 'crates.io', rust: 'crates.io', composer: 'Packagist', php: 'Packagist', conan: 'ConanCenter', cpp: 'ConanCenter',
  bundler: 'RubyGems', ruby: 'RubyGems', go: 'Go', golang: 'Go', gradle: 'Maven', 'gradle-verification-metadata': 'Maven', maven: 'Maven', java: 'Maven',
  mix: 'Hex', elixir: 'Hex', erlang: 'Hex', gleam: 'Hex', npm: 'npm', pnpm: 'npm', yarn: 'npm', javascript: 'npm', nuget: 'NuGet', dotnet: 'NuGet',
  pdm: 'PyPI', pipenv: 'PyPI', poetry: 'PyPI', pip: 'PyPI', python: 'PyPI', pub: 'Pub', dart: 'Pub', renv: 'CRAN', r: 'CRAN',
  haskell: 'Hackage', julia: 'Julia', ocaml: 'opam', swift: 'CocoaPods/SwiftPM',
}

interface Entry { fixture: string, extractor?: string, test_name: string, packages: { name: string, version: string, ecosystem: string }[] }
const rows = new Map<string, { total: number, supported: number, exact: number }>()
for (const set of ['osv-scanner-v1', 'osv-scalibr']) {
  const dir = join(DATA, set)
  const { entries } = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { entries: Entry[] }
  for (const e of entries) {
    const format = e.extractor ?? e.fixture.split('/')[1]!
    const eco = ECOSYSTEM[format.split('/')[0]!] ?? format
    const row = rows.get(eco) ?? { total: 0, supported: 0, exact: 0 }
    rows.set(eco, row)
    row.total++
    const parser = parsers.find((p) => p.id === fixtureFormats[`${set}/${format}`])
    if (!parser) continue
    row.supported++
    const file = join(dir, e.fixture)
    const key = (p: { name: string, version: string, ecosystem: string }) => `${p.ecosystem}\0${normalizeName(p.ecosystem, p.name)}\0${p.version}`
    try {
      const got = parser.parse(readFileSync(file, 'utf8'), {
        path: relative(dir, file),
        readRelative: (r) => { try { return readFileSync(join(dirname(file), r), 'utf8') } catch { return undefined } },
      }).map((p) => key({ name: p.sourceName ?? p.name, version: p.sourceVersion ?? p.version, ecosystem: p.ecosystem })).sort()
      if (JSON.stringify(got) === JSON.stringify(e.packages.map(key).sort())) row.exact++
    } catch {
      if (e.packages.length === 0) row.exact++
    }
  }
}
console.log('ecosystem'.padEnd(14), 'supported/total', 'exact/supported')
let t = 0, s = 0, x = 0
for (const [eco, r] of [...rows].sort()) {
  t += r.total; s += r.supported; x += r.exact
  console.log(eco.padEnd(14), `${r.supported}/${r.total}`.padEnd(15), `${r.exact}/${r.supported}`)
}
console.log('all'.padEnd(14), `${s}/${t}`.padEnd(15), `${x}/${s}`)
