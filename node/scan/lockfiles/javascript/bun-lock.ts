// Bun: bun.lock, JSONC (trailing commas). `packages` maps an install path (`name`,
// `parent/name`, `workspace-name/name`) to `["name@resolution", …, info, …]`, where info
// lists the package's own dependencies; `workspaces` lists the project's. Dependencies
// resolve like node_modules: from the deepest enclosing path outwards. Workspace, link
// and root entries are the project's own folders, not dependencies; file: dependencies
// have no version; git dependencies carry their (short) commit. Bun records no groups:
// they follow from the graph.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named, type LockfileParser, type ParseContext } from '../parser.ts'
import { isObject, type JsonObject } from '../ecosystems/json-document.ts'
import { dependencyGroups, type Edge, type RootEdge, type RootKind } from './dependency-groups.ts'
import { gitCommitOf } from './git-commit.ts'
import { parseJsonc } from './jsonc.ts'
import { NpmPackages } from './npm-package.ts'

const LOCAL = ['workspace:', 'link:', 'root:']
const GIT = ['github:', 'gitlab:', 'bitbucket:', 'git+', 'git:', 'git@', 'ssh:', 'http:', 'https:']
const ROOT_KINDS: [string, RootKind][] = [['dependencies', 'prod'], ['peerDependencies', 'prod'], ['optionalDependencies', 'optional'], ['devDependencies', 'dev']]

/** The install path a package's dependencies are looked up from, one level up. */
function parentPath(path: string): string {
  const parts = path.split('/')
  parts.pop()
  if (parts.length > 0 && parts[parts.length - 1]!.startsWith('@')) parts.pop() // a scope
  return parts.join('/')
}

/** The install path `dep` resolves to from `from` ('' for the root), if installed. */
function resolve(packages: JsonObject, from: string, dep: string): string | undefined {
  for (let prefix = from; ; prefix = parentPath(prefix)) {
    const path = prefix === '' ? dep : `${prefix}/${dep}`
    if (Object.hasOwn(packages, path)) return path
    if (prefix === '') return undefined
  }
}

function names(value: unknown): string[] {
  return isObject(value) ? Object.keys(value) : []
}

function infoOf(entry: unknown[]): JsonObject | undefined {
  // [spec, registry, info, integrity] for registry packages, [spec, info, …] for the rest.
  for (let i = 1; i <= 2 && i < entry.length; i++) if (isObject(entry[i])) return entry[i] as JsonObject
  return undefined
}

function edgesOf(packages: JsonObject, path: string, info: JsonObject | undefined): Edge<string>[] {
  const edges: Edge<string>[] = []
  if (info === undefined) return edges
  const optionalPeers = Array.isArray(info.optionalPeers) ? info.optionalPeers : []
  const add = (dep: string, optional: boolean) => {
    const to = resolve(packages, path, dep)
    if (to !== undefined) edges.push({ to, optional })
  }
  for (const dep of names(info.dependencies)) add(dep, false)
  for (const dep of names(info.optionalDependencies)) add(dep, true)
  for (const dep of names(info.peerDependencies)) add(dep, optionalPeers.includes(dep))
  return edges
}

function parseBunLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseJsonc(text, 'bun.lock')
  if (!isObject(doc)) throw new LockfileError('bad-structure', 'bun.lock: top level is not an object')
  if (doc.packages === undefined) return []
  if (!isObject(doc.packages)) throw new LockfileError('bad-structure', 'bun.lock: packages is not an object')
  const packages = doc.packages

  // Each workspace's dependencies resolve from under its name, then from the top.
  const roots: RootEdge<string>[] = []
  if (isObject(doc.workspaces)) {
    for (const [path, ws] of Object.entries(doc.workspaces)) {
      if (!isObject(ws)) continue
      const from = path === '' || typeof ws.name !== 'string' ? '' : ws.name
      for (const [field, kind] of ROOT_KINDS) {
        for (const dep of names(ws[field])) {
          const to = resolve(packages, from, dep)
          if (to !== undefined) roots.push({ to, kind })
        }
      }
    }
  }
  const direct = new Set(roots.map((r) => r.to))

  const specs = new Map<string, { name: string, resolution: string, info: JsonObject | undefined }>()
  const graph = new Map<string, Edge<string>[]>()
  for (const path in packages) {
    const entry = packages[path]
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw new LockfileError('bad-structure', `bun.lock: package ${path} is not [name@version, …]`)
    const spec = entry[0]
    const at = spec.indexOf('@', 1)
    if (at <= 0) throw new LockfileError('bad-structure', `bun.lock: package ${path}: ${spec} is not name@version`)
    const info = infoOf(entry)
    specs.set(path, { name: spec.slice(0, at), resolution: spec.slice(at + 1), info })
    graph.set(path, edgesOf(packages, path, info))
  }
  const groups = dependencyGroups(roots, (path) => graph.get(path))

  const out = new NpmPackages(ctx.path)
  for (const [path, { name, resolution }] of specs) {
    if (LOCAL.some((p) => resolution.startsWith(p))) continue
    let version = resolution
    let commit: string | undefined
    if (resolution.startsWith('file:')) version = ''
    else if (resolution.startsWith('npm:')) version = resolution.slice(resolution.lastIndexOf('@') + 1)
    else if (GIT.some((p) => resolution.startsWith(p))) {
      // A git or tarball URL is no version; a git one is pinned by its commit.
      commit = gitCommitOf(resolution)
      version = ''
    }
    out.add(name, version, { groups: groups.get(path), commit, direct: direct.has(path) })
  }
  return out.list()
}

export const bunLock: LockfileParser = {
  id: 'bun-lock',
  matches: named('bun.lock'),
  parse: parseBunLock,
}
