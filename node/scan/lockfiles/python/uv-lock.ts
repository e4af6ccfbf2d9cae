// uv: uv.lock. The project itself and its workspace members (sources `virtual`, `editable`)
// and local directories are not dependencies and are left out. uv writes no group per
// package, only the dependency graph, with the groups (extras under `optional-dependencies`,
// dependency groups under `dev-dependencies`) on the project: a package's groups are the
// ones it is reachable from, none when the project's own dependencies reach it. Git sources
// end in `#<commit>`.
import { normalizeName, type Package } from '../../../../protocol/index.ts'
import { named, type LockfileParser, type ParseContext } from '../parser.ts'
import { uniquePackages } from '../unique-packages.ts'
import { readLockTables, stringField, stringsField, tableField, tablesField, type TomlTable } from './lock-tables.ts'
import { pypiPackage } from './pypi-package.ts'

const FORMAT = 'uv.lock'
const KEYS = new Set(['name', 'version', 'source', 'dependencies', 'optional-dependencies', 'dev-dependencies'])

interface Dep { name: string, version?: string, extras: string[] }

interface Node {
  key: string
  name: string
  version: string
  local: boolean
  commit?: string
  deps: Dep[]
  /** Extras and dependency groups: name → the dependencies it adds. */
  optional: Map<string, Dep[]>
  dev: Map<string, Dep[]>
}

function depsOf(list: TomlTable[] | undefined): Dep[] {
  if (list === undefined) return []
  const out: Dep[] = []
  for (const d of list) {
    const name = stringField(d, 'name', FORMAT)
    if (!name) continue
    out.push({ name: normalizeName('PyPI', name), version: stringField(d, 'version', FORMAT), extras: stringsField(d, 'extra', FORMAT) ?? [] })
  }
  return out
}

function groupTable(e: TomlTable, key: string): Map<string, Dep[]> {
  const out = new Map<string, Dep[]>()
  const t = tableField(e, key, FORMAT)
  if (t) for (const group of Object.keys(t)) out.set(group, depsOf(tablesField(t, group, FORMAT)))
  return out
}

function nodeOf(e: TomlTable): Node | undefined {
  const name = stringField(e, 'name', FORMAT)
  if (!name) return undefined
  const source = tableField(e, 'source', FORMAT)
  const local = source !== undefined && (source.virtual !== undefined || source.editable !== undefined || source.directory !== undefined)
  const git = source && stringField(source, 'git', FORMAT)
  const hash = git ? git.lastIndexOf('#') : -1
  return {
    key: normalizeName('PyPI', name),
    name,
    version: stringField(e, 'version', FORMAT) ?? '',
    local,
    commit: hash === -1 ? undefined : git!.slice(hash + 1),
    deps: depsOf(tablesField(e, 'dependencies', FORMAT)),
    optional: groupTable(e, 'optional-dependencies'),
    dev: groupTable(e, 'dev-dependencies'),
  }
}

/** Every node reachable from `start`, with the extras each dependency edge asks for. */
function reach(start: Dep[], byName: Map<string, Node[]>): Set<Node> {
  const seen = new Set<Node>()
  const extrasSeen = new Set<string>()
  const queue = [...start]
  while (queue.length > 0) {
    const dep = queue.pop()!
    for (const node of byName.get(dep.name) ?? []) {
      if (dep.version !== undefined && node.version !== dep.version) continue
      if (!seen.has(node)) {
        seen.add(node)
        queue.push(...node.deps)
      }
      for (const extra of dep.extras) {
        const k = `${node.key}@${node.version}[${extra}]`
        if (extrasSeen.has(k)) continue
        extrasSeen.add(k)
        queue.push(...node.optional.get(extra) ?? [])
      }
    }
  }
  return seen
}

function groupsByNode(nodes: Node[]): Map<Node, string[]> {
  const out = new Map<Node, string[]>()
  const roots = nodes.filter((n) => n.local && (n.deps.length > 0 || n.optional.size > 0 || n.dev.size > 0))
  if (roots.length === 0) return out
  const byName = new Map<string, Node[]>()
  for (const n of nodes) {
    const list = byName.get(n.key)
    if (list) list.push(n)
    else byName.set(n.key, [n])
  }
  const prod = reach(roots.flatMap((r) => r.deps), byName)
  for (const root of roots) {
    for (const table of [root.optional, root.dev]) {
      for (const [group, deps] of table) {
        for (const n of reach(deps, byName)) {
          if (prod.has(n)) continue
          const list = out.get(n)
          if (!list) out.set(n, [group])
          else if (!list.includes(group)) list.push(group)
        }
      }
    }
  }
  return out
}

function parseUvLock(text: string, ctx: ParseContext): Package[] {
  const { entries } = readLockTables(text, FORMAT, { array: 'package', keys: KEYS })
  const nodes: Node[] = []
  for (const e of entries) {
    const n = nodeOf(e)
    if (n) nodes.push(n)
  }
  const groups = groupsByNode(nodes)
  const out: Package[] = []
  for (const n of nodes) {
    if (n.local) continue
    out.push(pypiPackage(n.name, n.version, ctx.path, { groups: groups.get(n)?.sort(), commit: n.commit }))
  }
  return uniquePackages(out)
}

export const uvLock: LockfileParser = {
  id: 'uv-lock',
  matches: named('uv.lock'),
  parse: parseUvLock,
}
