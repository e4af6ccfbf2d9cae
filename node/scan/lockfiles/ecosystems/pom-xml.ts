// Java: a Maven pom.xml on its own. Declared dependencies (and those of profiles active by
// default) are the packages; dependencyManagement only supplies versions and scopes, as in
// Maven. `${…}` is interpolated from <properties> and the project's own coordinates. The
// parent POM and imported BOMs are not resolved (they live in other files or a registry),
// so a version only they define stays empty.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { purlOf } from '../../../../protocol/package.ts'
import type { Package } from '../../../../protocol/package.ts'
import { LockfileError, basename } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'

const ECOSYSTEM = 'Maven'
const MAX_INTERPOLATION_DEPTH = 10

type Node = Record<string, unknown>

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // versions like 1.10 must stay strings
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
})

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function text(node: Node | undefined, key: string): string | undefined {
  const v = node?.[key]
  return typeof v === 'string' ? v : undefined
}

function children(node: unknown, ...path: string[]): Node[] {
  let cur: unknown = node
  for (const key of path) {
    if (!isNode(cur)) return []
    cur = cur[key]
  }
  if (Array.isArray(cur)) return cur.filter(isNode)
  return isNode(cur) ? [cur] : []
}

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
  constructor(values: Map<string, string>) { this.#values = values }

  /** Replaces each `${name}` it can resolve; unresolved references stay as written. */
  apply(s: string, depth = 0): string {
    let start = s.indexOf('${')
    if (start === -1 || depth > MAX_INTERPOLATION_DEPTH) return s
    let out = ''
    let from = 0
    while (start !== -1) {
      const end = s.indexOf('}', start + 2)
      if (end === -1) break
      const raw = this.#values.get(s.slice(start + 2, end))
      out += s.slice(from, start) + (raw === undefined ? s.slice(start, end + 1) : this.apply(raw, depth + 1))
      from = end + 1
      start = s.indexOf('${', from)
    }
    return out + s.slice(from)
  }
}

function interpolator(project: Node, activeProfiles: Node[]): Interpolator {
  const values = new Map<string, string>()
  const parent = isNode(project.parent) ? project.parent : undefined
  const coords: [string, string | undefined][] = [
    ['groupId', text(project, 'groupId') ?? text(parent, 'groupId')],
    ['artifactId', text(project, 'artifactId')],
    ['version', text(project, 'version') ?? text(parent, 'version')],
  ]
  for (const [key, value] of coords) {
    if (value === undefined) continue
    values.set(`project.${key}`, value)
    values.set(`pom.${key}`, value) // Maven 2 spelling, still accepted
    values.set(key, value)
  }
  for (const key of ['groupId', 'artifactId', 'version']) {
    const value = text(parent, key)
    if (value !== undefined) values.set(`project.parent.${key}`, value)
  }
  // Later sources win, as in Maven: active profiles override the project's properties.
  for (const holder of [project, ...activeProfiles]) {
    const props = holder.properties
    if (!isNode(props)) continue
    for (const [key, value] of Object.entries(props)) if (typeof value === 'string') values.set(key, value)
  }
  return new Interpolator(values)
}

function parsePomXml(source: string, ctx: ParseContext): Package[] {
  const valid = XMLValidator.validate(source)
  if (valid !== true) {
    throw new LockfileError('bad-syntax', `pom.xml line ${valid.err.line}: ${valid.err.msg}`)
  }
  const doc: unknown = xml.parse(source)
  const project = isNode(doc) ? doc.project : undefined
  if (!isNode(project)) {
    if (project === '') return [] // <project/>
    throw new LockfileError('bad-structure', 'pom.xml: no <project> element')
  }
  const activeProfiles = children(project, 'profiles', 'profile')
    .filter((p) => text(isNode(p.activation) ? p.activation : undefined, 'activeByDefault')?.trim() === 'true')
  const interp = interpolator(project, activeProfiles)
  const holders = [project, ...activeProfiles]

  const managed = new Map<string, { version?: string, scope?: string }>()
  for (const holder of holders) {
    for (const dep of children(holder, 'dependencyManagement', 'dependencies', 'dependency')) {
      const key = `${interp.apply(text(dep, 'groupId') ?? '')}:${interp.apply(text(dep, 'artifactId') ?? '')}`
      if (!managed.has(key)) managed.set(key, { version: text(dep, 'version'), scope: text(dep, 'scope') })
    }
  }

  const out: Package[] = []
  const seen = new Set<string>()
  for (const holder of holders) {
    for (const dep of children(holder, 'dependencies', 'dependency')) {
      const group = interp.apply(text(dep, 'groupId') ?? '')
      const artifact = interp.apply(text(dep, 'artifactId') ?? '')
      // Without both coordinates (or with one we cannot resolve) there is nothing to match.
      if (group === '' || artifact === '' || group.includes('${') || artifact.includes('${')) continue
      const name = `${group}:${artifact}`
      // Maven keys dependencies by group:artifact; a repeat (another classifier or type) adds no package.
      if (seen.has(name)) continue
      seen.add(name)
      const m = managed.get(name)
      let version = interp.apply(text(dep, 'version') ?? m?.version ?? '')
      version = version.includes('${') ? '' : rangeFloor(version.trim())
      const p: Package = { ecosystem: ECOSYSTEM, name, version, purl: purlOf(ECOSYSTEM, name, version), source: ctx.path, direct: true }
      const scope = interp.apply(text(dep, 'scope') ?? m?.scope ?? '').trim()
      if (scope !== '' && scope !== 'compile') p.groups = [scope]
      out.push(p)
    }
  }
  return out
}

export const pomXml: LockfileParser = {
  id: 'pom-xml',
  matches: (relPath) => basename(relPath) === 'pom.xml',
  parse: parsePomXml,
}
