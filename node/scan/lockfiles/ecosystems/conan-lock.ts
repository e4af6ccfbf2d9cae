// C / C++: conan.lock. Conan 1 writes a graph (`graph_lock.nodes`, references in `ref` or,
// before lockfile 0.4, `pref`); Conan 2 writes flat reference lists per kind of requirement.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'
import { isObject, parseJsonObject, stringField } from './json-document.ts'
import type { JsonObject } from './json-document.ts'

const ECOSYSTEM = 'ConanCenter'

/** Conan 2 lists, and the group their packages belong to. */
const V2_LISTS = [
  ['requires', 'requires'],
  ['build_requires', 'build-requires'],
  ['python_requires', 'python-requires'],
  ['config_requires', 'config-requires'],
] as const

/**
 * `name/version[@user/channel][#revision][%timestamp][:package_id[#prev]]` → name and version;
 * undefined for a reference without a name (a bare version is not a package anyone can match).
 */
export function parseConanReference(ref: string): { name: string, version: string } | undefined {
  let end = ref.length
  for (const stop of ['#', ':', '@', '%']) {
    const i = ref.indexOf(stop)
    if (i !== -1 && i < end) end = i
  }
  const head = ref.slice(0, end)
  const slash = head.indexOf('/')
  if (slash <= 0 || slash === head.length - 1) return undefined
  return { name: head.slice(0, slash), version: head.slice(slash + 1) }
}

function parseV1(doc: JsonObject, ctx: ParseContext): Package[] {
  const graph = doc.graph_lock
  if (!isObject(graph) || !isObject(graph.nodes)) throw new LockfileError('bad-structure', 'conan.lock: graph_lock has no nodes')
  const out: Package[] = []
  for (const id of Object.keys(graph.nodes)) {
    const node = graph.nodes[id]
    if (!isObject(node)) throw new LockfileError('bad-structure', `conan.lock: node ${id} is not an object`)
    // The node with a `path` is the consumer's own conanfile, not a dependency.
    if (node.path !== undefined) continue
    const ref = stringField(node, 'ref') ?? stringField(node, 'pref')
    const parsed = ref === undefined ? undefined : parseConanReference(ref)
    if (!parsed) continue
    out.push({ ecosystem: ECOSYSTEM, ...parsed, source: ctx.path })
  }
  return out
}

function parseV2(doc: JsonObject, ctx: ParseContext): Package[] {
  const out: Package[] = []
  for (const [key, group] of V2_LISTS) {
    const list = doc[key]
    if (list === undefined) continue
    if (!Array.isArray(list)) throw new LockfileError('bad-structure', `conan.lock: ${key} is not an array`)
    for (const ref of list) {
      if (typeof ref !== 'string') throw new LockfileError('bad-structure', `conan.lock: ${key} holds a non-string`)
      const parsed = parseConanReference(ref)
      if (!parsed) continue
      out.push({ ecosystem: ECOSYSTEM, ...parsed, source: ctx.path, groups: [group] })
    }
  }
  return out
}

function parseConanLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseJsonObject(text, 'conan.lock')
  if (doc.graph_lock !== undefined) return parseV1(doc, ctx)
  if (V2_LISTS.some(([key]) => doc[key] !== undefined)) return parseV2(doc, ctx)
  throw new LockfileError('unsupported-version', `conan.lock: neither a Conan 1 graph nor Conan 2 lists (version ${String(doc.version)})`)
}

export const conanLock: LockfileParser = {
  id: 'conan-lock',
  matches: named('conan.lock'),
  parse: parseConanLock,
}
