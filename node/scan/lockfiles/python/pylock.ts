// PEP 751: pylock.toml and pylock.<name>.toml. A `directory` package is a local source tree
// (usually the project itself), not a dependency. The format states groups only through
// markers (`'dev' in dependency_groups`, `'tests' in extras`): a package is in the groups
// and extras its marker names, and in none when one of them is a default group. VCS
// packages carry `vcs.commit-id`; a package may have no version (VCS, archives).
import type { Package } from '../../../../protocol/index.ts'
import { basename, ruled, type LockfileParser, type ParseContext } from '../parser.ts'
import { uniquePackages } from '../unique-packages.ts'
import { readLockTables, stringField, stringsField, tableField } from './lock-tables.ts'
import { pypiPackage } from './pypi-package.ts'

const FORMAT = 'pylock.toml'
const KEYS = new Set(['name', 'version', 'marker', 'vcs', 'directory'])
const ROOT_KEYS = new Set(['default-groups'])

// `"name" in extras` / `'name' in dependency_groups`; `not in` does not match (no space
// between the quote and `in`). Bounded pieces, no nested quantifiers: linear time.
const MEMBERSHIP = /(["'])([^"'\n]{1,200})\1[ \t]+in[ \t]+(extras|dependency_groups)\b/g

function groupsOf(marker: string | undefined, defaults: string[]): string[] {
  if (marker === undefined || !marker.includes(' in ')) return []
  const out: string[] = []
  for (const m of marker.matchAll(MEMBERSHIP)) {
    const name = m[2]!.trim()
    if (m[3] === 'dependency_groups' && defaults.includes(name)) return []
    if (!out.includes(name)) out.push(name)
  }
  return out.sort()
}

function parsePylock(text: string, ctx: ParseContext): Package[] {
  const { root, entries } = readLockTables(text, FORMAT, { array: 'packages', keys: KEYS, rootKeys: ROOT_KEYS })
  const defaults = stringsField(root, 'default-groups', FORMAT) ?? []
  const out: Package[] = []
  for (const e of entries) {
    const name = stringField(e, 'name', FORMAT)
    if (!name || e.directory !== undefined) continue
    const vcs = tableField(e, 'vcs', FORMAT)
    out.push(pypiPackage(name, stringField(e, 'version', FORMAT) ?? '', ctx.path, {
      groups: groupsOf(stringField(e, 'marker', FORMAT), defaults),
      commit: vcs && stringField(vcs, 'commit-id', FORMAT),
    }))
  }
  return uniquePackages(out)
}

/** pylock.toml, or pylock.<name>.toml with a name without dots (PEP 751). */
function isPylockName(b: string): boolean {
  return b === 'pylock.toml' || (b.startsWith('pylock.') && b.endsWith('.toml') && b.length > 12 && b.indexOf('.', 7) === b.length - 5)
}

export const pylock: LockfileParser = {
  id: 'pylock',
  matches: ruled(isPylockName, (relPath) => isPylockName(basename(relPath))),
  parse: parsePylock,
}
