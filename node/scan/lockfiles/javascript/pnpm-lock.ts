// pnpm: pnpm-lock.yaml, lockfile versions 5.x to 9. Package keys are `/name/version` (v5),
// `/name@version` (v6–v8) or `name@version` (v9), with peer-dependency suffixes `_…` (v5)
// or `(…)`; an entry may spell out `name` and `version` instead (git, tarball and local
// dependencies; a git commit sits in `resolution`). Before v9 pnpm marks dev-only and
// optional-only packages itself (`dev: true`, `optional: true`); v9 drops `dev`, so the
// groups follow from the importers and the `snapshots` graph. Importers (the project and
// its workspaces, or the top level of a single-project v5–v8 file) name the direct
// dependencies; `link:` ones are workspace folders, not packages.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named, type LockfileParser, type ParseContext } from '../parser.ts'
import { parseLockfileYaml, isYamlMap, yamlMap, yamlString, type YamlMap } from '../lockfile-yaml.ts'
import { dependencyGroups, type Edge, type RootEdge, type RootKind } from './dependency-groups.ts'
import { gitCommitOf } from './git-commit.ts'
import { NpmPackages } from './npm-package.ts'

const ROOT_KINDS: [string, RootKind][] = [['dependencies', 'prod'], ['optionalDependencies', 'optional'], ['devDependencies', 'dev']]
const DEV = ['dev']
const OPTIONAL = ['optional']
const DEV_OPTIONAL = ['dev', 'optional']

/** Name and version in a package key; the version is undefined when the key holds none. */
export function parsePnpmKey(rawKey: string, lockVersion: number): [string, string | undefined] | undefined {
  let key = rawKey.charCodeAt(0) === 47 /* / */ ? rawKey.slice(1) : rawKey
  let name: string
  let version: string | undefined
  if (lockVersion < 6) {
    const parts = key.split('/')
    // Packages from another registry are keyed under its host: `example.com/foo/1.2.0`.
    if (parts.length > 2 && parts[0]!.includes('.') && !parts[0]!.startsWith('@')) parts.shift()
    version = parts.pop()!
    const peers = version.indexOf('_')
    if (peers !== -1) version = version.slice(0, peers)
    name = parts.join('/')
  } else {
    const peers = key.indexOf('(')
    if (peers !== -1) key = key.slice(0, peers)
    const at = key.indexOf('@', 1)
    if (at === -1) return undefined
    name = key.slice(0, at)
    version = key.slice(at + 1)
  }
  if (!name) return undefined
  const c = version.charCodeAt(0)
  return [name, c >= 48 && c <= 57 ? version : undefined]
}

/** The key a dependency reference points at (pnpm's refToRelative); undefined for links. */
export function pnpmKeyOfRef(name: string, ref: string, lockVersion: number): string | undefined {
  if (ref.startsWith('link:')) return undefined
  if (lockVersion >= 9) {
    if (ref.charCodeAt(0) === 64 /* @ */) return ref
    const at = ref.indexOf('@')
    if (at === -1) return `${name}@${ref}`
    const colon = ref.indexOf(':')
    const paren = ref.indexOf('(')
    // An alias names its target: `string-width@4.2.3`.
    if ((colon === -1 || at < colon) && (paren === -1 || at < paren)) return ref
    return `${name}@${ref}`
  }
  if (ref.startsWith('file:')) return ref
  const paren = ref.indexOf('(')
  if (!(paren === -1 ? ref : ref.slice(0, paren)).includes('/')) return lockVersion >= 6 ? `/${name}@${ref}` : `/${name}/${ref}`
  return ref
}

/** A dependency map's references: `name: ref` (v5) or `name: {specifier, version}` (v6+). */
function refsOf(deps: YamlMap | undefined): [string, string][] {
  const out: [string, string][] = []
  if (deps === undefined) return out
  for (const name in deps) {
    const v = deps[name]
    const ref = typeof v === 'string' ? v : isYamlMap(v) ? yamlString(v, 'version') : undefined
    if (ref) out.push([name, ref])
  }
  return out
}

/** The project's own dependency edges, from every importer (workspace). */
function importerRoots(doc: YamlMap, lockVersion: number): RootEdge<string>[] {
  const importers = yamlMap(doc, 'importers')
  const projects = importers ? Object.values(importers).filter(isYamlMap) : [doc]
  const roots: RootEdge<string>[] = []
  for (const project of projects) {
    for (const [field, kind] of ROOT_KINDS) {
      for (const [name, ref] of refsOf(yamlMap(project, field))) {
        const to = pnpmKeyOfRef(name, ref, lockVersion)
        if (to !== undefined) roots.push({ to, kind })
      }
    }
  }
  return roots
}

/** The v9 snapshots as a graph: snapshot key → its dependencies' snapshot keys. */
function snapshotEdges(snapshots: YamlMap): Map<string, Edge<string>[]> {
  const graph = new Map<string, Edge<string>[]>()
  for (const key in snapshots) {
    const snap = snapshots[key]
    const edges: Edge<string>[] = []
    if (isYamlMap(snap)) {
      for (const [name, ref] of refsOf(yamlMap(snap, 'dependencies'))) {
        const to = pnpmKeyOfRef(name, ref, 9)
        if (to !== undefined) edges.push({ to, optional: false })
      }
      for (const [name, ref] of refsOf(yamlMap(snap, 'optionalDependencies'))) {
        const to = pnpmKeyOfRef(name, ref, 9)
        if (to !== undefined) edges.push({ to, optional: true })
      }
    }
    graph.set(key, edges)
  }
  return graph
}

function withoutPeers(snapshotKey: string): string {
  const i = snapshotKey.indexOf('(')
  return i === -1 ? snapshotKey : snapshotKey.slice(0, i)
}

function flagGroups(entry: YamlMap): string[] | undefined {
  const dev = yamlString(entry, 'dev') === 'true'
  const optional = yamlString(entry, 'optional') === 'true'
  return dev ? (optional ? DEV_OPTIONAL : DEV) : optional ? OPTIONAL : undefined
}

function parsePnpmLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseLockfileYaml(text, 'pnpm-lock.yaml')
  if (doc === null || doc === '') return []
  if (!isYamlMap(doc)) throw new LockfileError('bad-structure', 'pnpm-lock.yaml: top level is not a map')
  const declared = Number.parseFloat(yamlString(doc, 'lockfileVersion') ?? '')
  // Files before lockfileVersion was written are v5-shaped.
  const lockVersion = Number.isNaN(declared) ? 5 : declared
  const packages = Object.hasOwn(doc, 'packages') ? doc.packages : null
  if (packages === null || packages === '' || packages === undefined) return []
  if (!isYamlMap(packages)) throw new LockfileError('bad-structure', 'pnpm-lock.yaml: packages is not a map')

  const roots = importerRoots(doc, lockVersion)
  const direct = new Set<string>()
  for (const r of roots) direct.add(lockVersion >= 9 ? withoutPeers(r.to) : r.to)

  // v9: a package's installs (one per peer set) and the groups of each.
  let snapshotsOf: Map<string, string[]> | undefined
  let groupsOf: Map<string, readonly string[]> | undefined
  const snapshots = lockVersion >= 9 ? yamlMap(doc, 'snapshots') : undefined
  if (snapshots !== undefined) {
    const graph = snapshotEdges(snapshots)
    groupsOf = dependencyGroups(roots, (k) => graph.get(k))
    snapshotsOf = new Map()
    for (const key of graph.keys()) {
      const base = withoutPeers(key)
      const list = snapshotsOf.get(base)
      if (list) list.push(key)
      else snapshotsOf.set(base, [key])
    }
  }

  const out = new NpmPackages(ctx.path)
  for (const key in packages) {
    const raw = packages[key]
    const entry: YamlMap = isYamlMap(raw) ? raw : {}
    // `file:` keys are paths: only the entry's own name names the package.
    const fromKey = key.startsWith('file:') ? undefined : parsePnpmKey(key, lockVersion)
    const name = yamlString(entry, 'name') ?? fromKey?.[0]
    const version = yamlString(entry, 'version') ?? fromKey?.[1]
    // A key that names no version (a bare git URL, a malformed path) is no installed package.
    if (!name || version === undefined) continue
    const resolution = yamlMap(entry, 'resolution')
    const commit = resolution && (yamlString(resolution, 'commit') ?? gitCommitOf(yamlString(resolution, 'tarball')))
    const isDirect = direct.has(key)
    const installs = snapshotsOf?.get(key)
    if (installs === undefined) {
      out.add(name, version, { groups: flagGroups(entry), commit, direct: isDirect })
      continue
    }
    for (const s of installs) {
      const snap = snapshots![s]
      const groups = groupsOf!.get(s) ?? (isYamlMap(snap) ? flagGroups(snap) : undefined)
      out.add(name, version, { groups, commit, direct: isDirect })
    }
  }
  return out.list()
}

export const pnpmLock: LockfileParser = {
  id: 'pnpm-lock',
  matches: named('pnpm-lock.yaml'),
  parse: parsePnpmLock,
}
