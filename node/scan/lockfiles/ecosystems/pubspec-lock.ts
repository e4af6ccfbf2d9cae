// Dart / Flutter: pubspec.lock. Every entry under `packages` is resolved; `dependency`
// says whether it is direct and whether it is a dev dependency.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'
import { isYamlMap as isMap, parseLockfileYaml } from '../lockfile-yaml.ts'

const ECOSYSTEM = 'Pub'

function parsePubspecLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseLockfileYaml(text, 'pubspec.lock')
  if (doc === null) return []
  if (!isMap(doc)) throw new LockfileError('bad-structure', 'pubspec.lock: top level is not a mapping')
  const packages = doc.packages
  if (packages === undefined || packages === null) return []
  if (!isMap(packages)) throw new LockfileError('bad-structure', 'pubspec.lock: packages is not a mapping')
  const out: Package[] = []
  for (const name of Object.keys(packages)) {
    const entry = packages[name]
    if (!isMap(entry) || typeof entry.version !== 'string') {
      throw new LockfileError('bad-structure', `pubspec.lock: package ${name} has no version`)
    }
    const version = entry.version
    const p: Package = { ecosystem: ECOSYSTEM, name, version, source: ctx.path }
    const dependency = typeof entry.dependency === 'string' ? entry.dependency : ''
    if (dependency !== '') p.direct = dependency.startsWith('direct')
    if (dependency === 'direct dev') p.groups = ['dev']
    const description = entry.description
    if (entry.source === 'git' && isMap(description) && typeof description['resolved-ref'] === 'string') {
      p.commit = description['resolved-ref']
    }
    out.push(p)
  }
  return out
}

export const pubspecLock: LockfileParser = {
  id: 'pubspec-lock',
  matches: named('pubspec.lock'),
  parse: parsePubspecLock,
}
