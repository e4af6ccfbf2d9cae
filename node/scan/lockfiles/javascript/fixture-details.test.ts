// The shared fixture suite compares (name, version) only. Upstream's fixtures also state the
// git commit of git-sourced dependencies and the dependency groups: this checks both for
// the JavaScript parsers, per package, wherever upstream states them.
import { describe, it, expect } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Package } from '../../../../protocol/index.ts'
import { parsers, fixtureFormats, knownDifferences } from './index.ts'

const DATA = join(import.meta.dirname, '../../../../../shared/data/lockfiles')

interface Expected { name: string, version: string, commit?: string, dep_groups?: string[] }
interface Entry { fixture: string, extractor?: string, test_name: string, packages: Expected[] }

const commitKey = (name: string, version: string, commit: string | undefined) => `${name}@${version}#${commit ?? ''}`
const groupKey = (name: string, version: string, groups: string[] | undefined) => `${name}@${version}:${[...groups ?? []].sort().join(',')}`

describe.skipIf(!existsSync(DATA))('JavaScript fixtures: commits and dependency groups', () => {
  if (!existsSync(DATA)) return
  for (const set of ['osv-scanner-v1', 'osv-scalibr']) {
    const dir = join(DATA, set)
    const { entries } = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { entries: Entry[] }
    for (const entry of entries) {
      const parserId = fixtureFormats[`${set}/${entry.extractor ?? entry.fixture.split('/')[1]}`]
      const id = `${set}/${entry.fixture}#${entry.test_name}`
      if (parserId === undefined || knownDifferences[id] !== undefined) continue
      const statesCommits = entry.packages.some((p) => p.commit !== undefined)
      const statesGroups = entry.packages.some((p) => p.dep_groups !== undefined)
      if (!statesCommits && !statesGroups) continue
      it(`${parserId}: ${id}`, () => {
        const file = join(dir, entry.fixture)
        const got: Package[] = parsers.find((p) => p.id === parserId)!.parse(readFileSync(file, 'utf8'), { path: relative(dir, file), readRelative: () => undefined })
        if (statesCommits) {
          // Upstream lists a package once per commit; a short commit (bun) is compared as given.
          const want = [...new Set(entry.packages.map((p) => commitKey(p.name, p.version, p.commit)))].sort()
          const have = [...new Set(got.map((p) => commitKey(p.name, p.version, p.commit)))].sort()
          expect(have).toEqual(want)
        }
        if (statesGroups) {
          const want = [...new Set(entry.packages.map((p) => groupKey(p.name, p.version, p.dep_groups)))].sort()
          const have = [...new Set(got.map((p) => groupKey(p.name, p.version, p.groups)))].sort()
          expect(have).toEqual(want)
        }
      })
    }
  }
})
