// Java: a Maven pom.xml on its own. Declared dependencies (and those of profiles active by
// default) are the packages; dependencyManagement only supplies versions and scopes, as in
// Maven. `${…}` is interpolated from <properties> and the project's own coordinates. The
// parent POM and imported BOMs are not resolved (they live in other files or a registry),
// so a version only they define stays empty.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'
import { childElement, childText, elementsAt, parseXmlTree } from './xml-tree.ts'
import type { XmlElement } from './xml-tree.ts'

const ECOSYSTEM = 'Maven'
const MAX_INTERPOLATION_DEPTH = 10

/** `[1.2,2.0)` → `1.2`: the lowest version a range admits is the one Maven starts from. */
function rangeFloor(version: string): string {
  const first = version.charCodeAt(0)
  if (first !== 91 && first !== 40) return version
  const close = version.search(/[\])]/)
  const body = version.slice(1, close === -1 ? version.length : close)
  const comma = body.indexOf(',')
  const low = (comma === -1 ? body : body.slice(0, comma)).trim()
  if (low !== '') return low
  // `(,1.0]`: no floor; only an inclusive ceiling names a concrete version.
  return version.endsWith(']') ? body.slice(comma + 1).trim() : ''
}

class Interpolator {
  readonly #values: Map<string, string>
  /** Each property resolved once, so chains of references cost linear time, never exponential. */
  readonly #resolved = new Map<string, string>()
  constructor(values: Map<string, string>) { this.#values = values }

  /** Replaces each `${name}` it can resolve; unresolved (or cyclic) references stay as written. */
  apply(s: string, depth = 0): string {
    let start = s.indexOf('${')
    if (start === -1 || depth > MAX_INTERPOLATION_DEPTH) return s
    let out = ''
    let from = 0
    while (start !== -1) {
      const end = s.indexOf('}', start + 2)
      if (end === -1) break
      const name = s.slice(start + 2, end)
      let value = this.#resolved.get(name)
      if (value === undefined) {
        const raw = this.#values.get(name)
        value = raw === undefined ? s.slice(start, end + 1) : this.apply(raw, depth + 1)
        this.#resolved.set(name, value)
      }
      out += s.slice(from, start) + value
      from = end + 1
      start = s.indexOf('${', from)
    }
    return out + s.slice(from)
  }
}

function interpolator(project: XmlElement, activeProfiles: XmlElement[]): Interpolator {
  const values = new Map<string, string>()
  const parent = childElement(project, 'parent')
  const coords: [string, string | undefined][] = [
    ['groupId', childText(project, 'groupId') ?? childText(parent, 'groupId')],
    ['artifactId', childText(project, 'artifactId')],
    ['version', childText(project, 'version') ?? childText(parent, 'version')],
  ]
  for (const [key, value] of coords) {
    if (value === undefined) continue
    values.set(`project.${key}`, value)
    values.set(`pom.${key}`, value) // Maven 2 spelling, still accepted
    values.set(key, value)
  }
  for (const key of ['groupId', 'artifactId', 'version']) {
    const value = childText(parent, key)
    if (value !== undefined) values.set(`project.parent.${key}`, value)
  }
  // Later sources win, as in Maven: active profiles override the project's properties.
  for (const holder of [project, ...activeProfiles]) {
    for (const prop of elementsAt(holder, 'properties')[0]?.children ?? []) {
      if (prop.children.length === 0) values.set(prop.name, prop.text.trim())
    }
  }
  return new Interpolator(values)
}

function parsePomXml(source: string, ctx: ParseContext): Package[] {
  const project = parseXmlTree(source, 'pom.xml')
  if (project.name !== 'project') throw new LockfileError('bad-structure', `pom.xml: root element is <${project.name}>, not <project>`)
  const activeProfiles = elementsAt(project, 'profiles', 'profile')
    .filter((p) => childText(childElement(p, 'activation'), 'activeByDefault') === 'true')
  const interp = interpolator(project, activeProfiles)
  const holders = [project, ...activeProfiles]

  const managed = new Map<string, { version?: string, scope?: string }>()
  for (const holder of holders) {
    for (const dep of elementsAt(holder, 'dependencyManagement', 'dependencies', 'dependency')) {
      const key = `${interp.apply(childText(dep, 'groupId') ?? '')}:${interp.apply(childText(dep, 'artifactId') ?? '')}`
      if (!managed.has(key)) managed.set(key, { version: childText(dep, 'version'), scope: childText(dep, 'scope') })
    }
  }

  const out: Package[] = []
  const seen = new Set<string>()
  for (const holder of holders) {
    for (const dep of elementsAt(holder, 'dependencies', 'dependency')) {
      const group = interp.apply(childText(dep, 'groupId') ?? '')
      const artifact = interp.apply(childText(dep, 'artifactId') ?? '')
      // Without both coordinates (or with one we cannot resolve) there is nothing to match.
      if (group === '' || artifact === '' || group.includes('${') || artifact.includes('${')) continue
      const name = `${group}:${artifact}`
      // Maven keys dependencies by group:artifact; a repeat (another classifier or type) adds no package.
      if (seen.has(name)) continue
      seen.add(name)
      const m = managed.get(name)
      let version = interp.apply(childText(dep, 'version') || m?.version || '')
      version = version.includes('${') ? '' : rangeFloor(version.trim())
      const p: Package = { ecosystem: ECOSYSTEM, name, version, source: ctx.path, direct: true }
      const scope = interp.apply(childText(dep, 'scope') ?? m?.scope ?? '').trim()
      if (scope !== '' && scope !== 'compile') p.groups = [scope]
      out.push(p)
    }
  }
  return out
}

export const pomXml: LockfileParser = {
  id: 'pom-xml',
  matches: named('pom.xml'),
  parse: parsePomXml,
}
