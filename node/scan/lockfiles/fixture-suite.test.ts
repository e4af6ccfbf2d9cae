// One shared behaviour suite: every parser against the real fixtures in ../shared/data/lockfiles.
// For each fixture whose format we support, the multiset of (name, version, ecosystem) must
// equal the expected one. Fixtures with a documented, reasoned difference are listed in
// the parser group's `knownDifferences` and reported, not silently skipped.
import { describe, it, expect } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { parsers, knownDifferences, fixtureFormats, comparableName } from './index.ts'
import { normalizeName, type Package } from '../../../protocol/index.ts'

const DATA = join(import.meta.dirname, '../../../../shared/data/lockfiles')
const SETS = ['osv-scanner-v1', 'osv-scalibr'] as const

interface Expected { name: string, version: string, ecosystem: string }
interface Entry { fixture: string, extractor?: string, test_name: string, packages: Expected[] }

// Names compare as the ecosystem matches them (PEP 503 for PyPI…): `Django` and `django`
// are one package, and the two upstream sets spell them differently.
function key(p: Expected): string { return `${p.ecosystem}\u0000${normalizeName(p.ecosystem, p.name)}\u0000${p.version}` }

function readRelativeFrom(file: string) {
  return (rel: string): string | undefined => {
    try { return readFileSync(join(dirname(file), rel), 'utf8') } catch { return undefined }
  }
}

describe.skipIf(!existsSync(DATA))('lockfile fixtures (../shared/data/lockfiles)', () => {
  if (!existsSync(DATA)) return
  for (const set of SETS) {
    const dir = join(DATA, set)
    const { entries } = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { entries: Entry[] }
    for (const entry of entries) {
      const format = entry.extractor ?? entry.fixture.split('/')[1]!
      const parserId = fixtureFormats[`${set}/${format}`]
      if (parserId === undefined) continue
      const id = `${set}/${entry.fixture}#${entry.test_name}`
      const known = knownDifferences[id]
      it.skipIf(known !== undefined)(`${parserId}: ${id}${known ? ` (known difference: ${known})` : ''}`, () => {
        const parser = parsers.find((p) => p.id === parserId)
        expect(parser, `parser ${parserId}`).toBeDefined()
        const file = join(dir, entry.fixture)
        const text = readFileSync(file, 'utf8')
        let got: Package[]
        try {
          got = parser!.parse(text, { path: relative(dir, file), readRelative: readRelativeFrom(file) })
        } catch (err) {
          // A file the parser rejects as broken may only be one that yields nothing upstream.
          expect(entry.packages, `threw ${(err as Error).message}`).toEqual([])
          return
        }
        const want = entry.packages.map(key).sort()
        const have = got.map((p) => key({ name: comparableName(p), version: p.sourceVersion ?? p.version, ecosystem: p.ecosystem })).sort()
        expect(have).toEqual(want)
      })
    }
  }
})
