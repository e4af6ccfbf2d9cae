// .NET: NuGet's packages.lock.json, one dependency table per target framework. A package
// resolved for several frameworks is one package; project references are not packages.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'
import { isObject, parseJsonObject, stringField } from './json-document.ts'

const ECOSYSTEM = 'NuGet'
/** 1: classic; 2: adds `CentralTransitive` for central package management. */
const SUPPORTED_VERSIONS = new Set([1, 2])

function parseNugetLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseJsonObject(text, 'packages.lock.json')
  if (typeof doc.version !== 'number' || !SUPPORTED_VERSIONS.has(doc.version)) {
    throw new LockfileError('unsupported-version', `packages.lock.json: version ${String(doc.version)} is not supported`)
  }
  const frameworks = doc.dependencies
  if (frameworks === undefined) return []
  if (!isObject(frameworks)) throw new LockfileError('bad-structure', 'packages.lock.json: dependencies is not an object')
  const out: Package[] = []
  const seen = new Map<string, Package>()
  for (const framework of Object.keys(frameworks)) {
    const deps = frameworks[framework]
    if (!isObject(deps)) throw new LockfileError('bad-structure', `packages.lock.json: dependencies of ${framework} is not an object`)
    for (const name of Object.keys(deps)) {
      const dep = deps[name]
      if (!isObject(dep)) throw new LockfileError('bad-structure', `packages.lock.json: ${framework}/${name} is not an object`)
      const type = stringField(dep, 'type')
      const version = stringField(dep, 'resolved')
      if (type === 'Project' || version === undefined) continue
      const direct = type === 'Direct'
      const key = `${name.toLowerCase()}\u0000${version}`
      const prior = seen.get(key)
      if (prior) { if (direct) prior.direct = true; continue }
      const p: Package = { ecosystem: ECOSYSTEM, name, version, source: ctx.path, direct }
      seen.set(key, p)
      out.push(p)
    }
  }
  return out
}

export const nugetLock: LockfileParser = {
  id: 'nuget-lock',
  matches: named('packages.lock.json'),
  parse: parseNugetLock,
}
