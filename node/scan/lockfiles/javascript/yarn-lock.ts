// yarn.lock, classic (v1) and Berry (v2+, see yarn-berry.ts; told apart by Berry's
// leading `__metadata` entry). Classic is Yarn's own indented format: an entry header
// listing its descriptors, then `version "1.2.3"`, `resolved "<url>"` and nested
// `dependencies` / `optionalDependencies` blocks. The lockfile does not say which
// dependencies the project declares, or which are dev-only: the package.json beside it
// does, when there is one, and the entries' dependency blocks carry that to the rest.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named, type LockfileParser, type ParseContext } from '../parser.ts'
import { dependencyGroups, type Edge, type RootEdge, type RootKind } from './dependency-groups.ts'
import { gitCommitOf } from './git-commit.ts'
import { NpmPackages } from './npm-package.ts'
import { siblingManifest } from './package-json.ts'
import { parseYarnBerry } from './yarn-berry.ts'
import { headerDescriptors, packageNameOf } from './yarn-descriptor.ts'

interface ClassicEntry {
  descriptors: string[]
  line: number
  version?: string
  resolved?: string
  /** [name, range, optional] */
  deps: [string, string, boolean][]
}

const NO_BLOCK = 0
const DEPENDENCIES = 1
const OPTIONAL_DEPENDENCIES = 2
const OTHER_BLOCK = 3

/** A token at i: a quoted string or a bare word; and where the rest of the line starts. */
function token(text: string, i: number, lineEnd: number): [string, number] {
  const q = text.charCodeAt(i)
  if (q === 34 /* " */) {
    let j = i + 1
    let escaped = false
    while (j < lineEnd && text.charCodeAt(j) !== 34) { if (text.charCodeAt(j) === 92) { escaped = true; j++ } j++ }
    const raw = text.slice(i, j + 1)
    let value: string
    try {
      value = escaped ? JSON.parse(raw) as string : raw.slice(1, -1)
    } catch {
      value = raw.slice(1, -1)
    }
    return [value, j + 1]
  }
  let j = i
  while (j < lineEnd && text.charCodeAt(j) !== 32) j++
  return [text.slice(i, j), j]
}

function readClassic(text: string): ClassicEntry[] {
  const entries: ClassicEntry[] = []
  let current: ClassicEntry | undefined
  let fieldIndent = 0
  let block = NO_BLOCK
  let line = 0
  let start = 0
  const n = text.length
  while (start < n) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = n
    let lineEnd = end
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--
    const lineStart = start
    start = end + 1
    line++
    let i = lineStart
    while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++
    if (i === lineEnd || text.charCodeAt(i) === 35 /* # */) continue
    const indent = i - lineStart
    if (indent === 0) {
      const header = text.slice(lineStart, lineEnd).trimEnd()
      if (!header.endsWith(':')) throw new LockfileError('bad-syntax', `yarn.lock line ${line}: expected an entry header ending in ':'`)
      current = { descriptors: headerDescriptors(header.slice(0, -1)), line, deps: [] }
      entries.push(current)
      fieldIndent = 0
      block = NO_BLOCK
      continue
    }
    if (current === undefined) throw new LockfileError('bad-syntax', `yarn.lock line ${line}: indented line outside an entry`)
    if (fieldIndent === 0) fieldIndent = indent
    let [key, j] = token(text, i, lineEnd)
    if (key.endsWith(':')) key = key.slice(0, -1)
    while (j < lineEnd && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 58)) j++
    if (indent > fieldIndent) {
      // A line of a nested block: `name "range"` under dependencies.
      if ((block === DEPENDENCIES || block === OPTIONAL_DEPENDENCIES) && j < lineEnd) {
        current.deps.push([key, token(text, j, lineEnd)[0], block === OPTIONAL_DEPENDENCIES])
      }
      continue
    }
    if (j >= lineEnd) {
      block = key === 'dependencies' ? DEPENDENCIES : key === 'optionalDependencies' ? OPTIONAL_DEPENDENCIES : OTHER_BLOCK
      continue
    }
    block = NO_BLOCK
    if (key === 'version') current.version = token(text, j, lineEnd)[0]
    else if (key === 'resolved') current.resolved = token(text, j, lineEnd)[0]
  }
  return entries
}

function parseClassic(text: string, ctx: ParseContext): Package[] {
  const entries = readClassic(text)
  const byDescriptor = new Map<string, ClassicEntry>()
  for (const e of entries) for (const d of e.descriptors) byDescriptor.set(d, e)

  const manifest = siblingManifest(ctx)
  const roots: RootEdge<ClassicEntry>[] = []
  if (manifest !== undefined) {
    const fields: [Record<string, string>, RootKind][] = [[manifest.dependencies, 'prod'], [manifest.optionalDependencies, 'optional'], [manifest.devDependencies, 'dev']]
    for (const [deps, kind] of fields) {
      for (const name in deps) {
        const to = byDescriptor.get(`${name}@${deps[name]}`)
        if (to !== undefined) roots.push({ to, kind })
      }
    }
  }
  const direct = new Set(roots.map((r) => r.to))
  const groups = roots.length === 0 ? new Map<ClassicEntry, readonly string[]>() : dependencyGroups(roots, (e) => {
    const edges: Edge<ClassicEntry>[] = []
    for (const [name, range, optional] of e.deps) {
      const to = byDescriptor.get(`${name}@${range}`)
      if (to !== undefined) edges.push({ to, optional })
    }
    return edges
  })

  const out = new NpmPackages(ctx.path)
  for (const e of entries) {
    if (e.version === undefined) throw new LockfileError('bad-structure', `yarn.lock line ${e.line}: entry without a version`)
    const first = e.descriptors[0]
    if (first === undefined) throw new LockfileError('bad-syntax', `yarn.lock line ${e.line}: entry header without a descriptor`)
    // Workspace dependencies are declared in package.json files this parser does not read.
    const isDirect = manifest === undefined ? undefined : direct.has(e) ? true : manifest.hasWorkspaces ? undefined : false
    out.add(packageNameOf(first), e.version, { groups: groups.get(e), commit: gitCommitOf(e.resolved), direct: isDirect })
  }
  return out.list()
}

function isBerry(text: string): boolean {
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    const line = text.slice(start, end).trim()
    if (line !== '' && !line.startsWith('#')) return line === '__metadata:'
    start = end + 1
  }
  return false
}

function parseYarnLock(text: string, ctx: ParseContext): Package[] {
  return isBerry(text) ? parseYarnBerry(text, ctx) : parseClassic(text, ctx)
}

export const yarnLock: LockfileParser = {
  id: 'yarn-lock',
  matches: named('yarn.lock'),
  parse: parseYarnLock,
}
