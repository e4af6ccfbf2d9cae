// Some lockfiles record the dependency graph but not which packages are dev-only or
// optional-only (pnpm v9, Bun, Yarn with its package.json). The groups then follow from
// the graph as npm defines its own flags: `dev` when every path from the project starts
// with a devDependency, `optional` when every path crosses an optional dependency, and both
// (npm's `devOptional`) when every path does one or the other.

export type RootKind = 'prod' | 'dev' | 'optional'
export interface RootEdge<K> { to: K, kind: RootKind }
export interface Edge<K> { to: K, optional: boolean }

const DEV = ['dev']
const OPTIONAL = ['optional']
const DEV_OPTIONAL = ['dev', 'optional']

function reach<K>(starts: K[], edgesOf: (node: K) => readonly Edge<K>[] | undefined, followOptional: boolean): Set<K> {
  const seen = new Set<K>()
  const stack = starts.slice()
  while (stack.length > 0) {
    const node = stack.pop()!
    if (seen.has(node)) continue
    seen.add(node)
    const edges = edgesOf(node)
    if (edges === undefined) continue
    for (const e of edges) if ((followOptional || !e.optional) && !seen.has(e.to)) stack.push(e.to)
  }
  return seen
}

/**
 * Groups of every node the project's dependencies reach that is not a plain production
 * dependency. Nodes absent from the answer are production dependencies, or unreached
 * (extraneous), whose group the graph cannot tell.
 */
export function dependencyGroups<K>(roots: readonly RootEdge<K>[], edgesOf: (node: K) => readonly Edge<K>[] | undefined): Map<K, readonly string[]> {
  const from = (kinds: RootKind[]) => roots.filter((r) => kinds.includes(r.kind)).map((r) => r.to)
  const all = reach(from(['prod', 'dev', 'optional']), edgesOf, true)
  const strict = reach(from(['prod']), edgesOf, false)
  const notDev = reach(from(['prod', 'optional']), edgesOf, true)
  const notOptional = reach(from(['prod', 'dev']), edgesOf, false)
  const out = new Map<K, readonly string[]>()
  for (const node of all) {
    if (strict.has(node)) continue
    const dev = !notDev.has(node)
    const optional = !notOptional.has(node)
    out.set(node, dev && !optional ? DEV : optional && !dev ? OPTIONAL : DEV_OPTIONAL)
  }
  return out
}
