// npm: package-lock.json and npm-shrinkwrap.json, v1 (a nested `dependencies` tree) and
// v2/v3 (a flat `packages` map keyed by install path). npm states the groups itself (`dev`,
// `optional`, `devOptional`, `inBundle`/`bundled`). In v2/v3 the root entry (and each
// workspace's) lists what the project declares, so direct dependencies are known; for v1
// they come from the package.json beside the lockfile, when there is one. Link entries and
// workspace folders are the project itself; aliases (`npm:real@1.2.3`, or a `name` field)
// are reported under the real name.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, basename, named, type LockfileParser, type ParseContext } from '../parser.ts'
import { isObject, parseJsonObject, stringField, type JsonObject } from '../ecosystems/json-document.ts'
import { gitCommitOf } from './git-commit.ts'
import { NpmPackages } from './npm-package.ts'
import { siblingManifest } from './package-json.ts'

const NODE_MODULES = 'node_modules/'
const DECLARING_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']

function groupsOf(e: JsonObject): string[] | undefined {
  let g: string[] | undefined
  if (e.dev === true || e.devOptional === true) (g ??= []).push('dev')
  if (e.optional === true || e.devOptional === true) (g ??= []).push('optional')
  if (e.inBundle === true || e.bundled === true) (g ??= []).push('bundled')
  return g
}

function declaredNames(entry: JsonObject): Set<string> {
  const out = new Set<string>()
  for (const f of DECLARING_FIELDS) {
    const deps = entry[f]
    if (isObject(deps)) for (const name in deps) out.add(name)
  }
  return out
}

/** package.json `workspaces` (an array, or Yarn's `{packages: […]}`) as path matchers. */
function workspaceMatchers(value: unknown): RegExp[] {
  const list = isObject(value) ? value.packages : value
  if (!Array.isArray(list)) return []
  const out: RegExp[] = []
  for (const p of list) {
    if (typeof p !== 'string' || p.startsWith('!')) continue
    const glob = p.replace(/^\.\//, '').replace(/\/+$/, '')
    const source = glob.split('/').map((seg) => seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '[^/]*')).join('/')
    out.push(new RegExp(`^${source}$`))
  }
  return out
}

function fromPackages(packages: JsonObject, ctx: ParseContext): Package[] {
  const root = isObject(packages['']) ? packages[''] : {}
  const matchers = workspaceMatchers(root.workspaces)
  // Declared dependencies of the project ('') and of each workspace folder ('packages/a/').
  const declared = new Map<string, Set<string>>([['', declaredNames(root)]])
  // A `link` entry names a local folder installed under that name; the folder's own entry
  // holds its version.
  const linkedAs = new Map<string, string>()
  for (const path in packages) {
    const value = packages[path]
    if (!isObject(value) || path === '') continue
    const i = path.lastIndexOf(NODE_MODULES)
    if (value.link === true) {
      if (i !== -1 && typeof value.resolved === 'string') linkedAs.set(value.resolved, path.slice(i + NODE_MODULES.length))
    } else if (i === -1 && matchers.some((m) => m.test(path))) {
      declared.set(`${path}/`, declaredNames(value))
    }
  }
  // A workspace's dependency is usually hoisted to the top node_modules.
  const hoisted = new Set<string>()
  for (const [folder, names] of declared) {
    if (folder === '') continue
    for (const name of names) if (!Object.hasOwn(packages, `${folder}${NODE_MODULES}${name}`)) hoisted.add(name)
  }

  const out = new NpmPackages(ctx.path)
  for (const path in packages) {
    const value = packages[path]
    if (path === '' || !isObject(value) || value.link === true) continue
    const i = path.lastIndexOf(NODE_MODULES)
    let name: string
    let direct: boolean
    if (i === -1) {
      if (declared.has(`${path}/`)) continue // a workspace: the project's own code
      // A local folder (a file: dependency): named by its link, else by its folder.
      name = stringField(value, 'name') ?? linkedAs.get(path) ?? path.slice(path.lastIndexOf('/') + 1)
      direct = declared.get('')!.has(name)
    } else {
      const installedAs = path.slice(i + NODE_MODULES.length)
      name = stringField(value, 'name') ?? installedAs
      const folder = path.slice(0, i)
      direct = folder === ''
        ? declared.get('')!.has(installedAs) || hoisted.has(installedAs)
        : declared.get(folder)?.has(installedAs) ?? false
    }
    const resolved = stringField(value, 'resolved')
    out.add(name, stringField(value, 'version') ?? '', { groups: groupsOf(value), commit: gitCommitOf(resolved), direct })
  }
  return out.list()
}

/** `npm:real-name@1.2.3` → ['real-name', '1.2.3']. */
function alias(spec: string): [string, string] | undefined {
  const s = spec.slice(4)
  const at = s.lastIndexOf('@')
  return at > 0 ? [s.slice(0, at), s.slice(at + 1)] : undefined
}

function fromDependencies(deps: JsonObject, out: NpmPackages, topLevel: Set<string> | undefined, depth: number): void {
  for (const key in deps) {
    const value = deps[key]
    if (!isObject(value)) continue
    let name = key
    let version = stringField(value, 'version') ?? ''
    let commit: string | undefined
    const a = version.startsWith('npm:') ? alias(version) : undefined
    if (a) [name, version] = a
    else if (version.includes(':') || version.includes('/')) {
      // Not a version but where it came from: git (pinned to a commit), file:, a tarball URL.
      commit = gitCommitOf(version)
      version = ''
    }
    // Only a top-level entry is what the project's own declarations resolve to.
    const direct = topLevel === undefined ? undefined : depth === 0 && topLevel.has(key)
    out.add(name, version, { groups: groupsOf(value), commit, direct })
    if (isObject(value.dependencies)) fromDependencies(value.dependencies, out, topLevel, depth + 1)
  }
}

function parsePackageLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseJsonObject(text, basename(ctx.path) || 'package-lock.json')
  if (doc.packages !== undefined) {
    if (!isObject(doc.packages)) throw new LockfileError('bad-structure', 'package-lock.json: packages is not an object')
    return fromPackages(doc.packages, ctx)
  }
  if (doc.dependencies === undefined) return []
  if (!isObject(doc.dependencies)) throw new LockfileError('bad-structure', 'package-lock.json: dependencies is not an object')
  const manifest = siblingManifest(ctx)
  // npm 6 and older, which wrote v1, did not install peer dependencies.
  const topLevel = manifest && new Set([manifest.dependencies, manifest.devDependencies, manifest.optionalDependencies].flatMap((deps) => Object.keys(deps)))
  const out = new NpmPackages(ctx.path)
  fromDependencies(doc.dependencies, out, topLevel, 0)
  return out.list()
}

export const packageLock: LockfileParser = {
  id: 'package-lock',
  matches: named('package-lock.json', 'npm-shrinkwrap.json'),
  parse: parsePackageLock,
}
