// npm: package-lock.json (v1 `dependencies` tree; v2/v3 flat `packages`) and
// npm-shrinkwrap.json. Workspace sources and links are not packages; aliases
// (`npm:real@1.2.3`) are reported under the real name.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, basename, type LockfileParser, type ParseContext } from '../parser.ts'
import { isObject, parseJsonObject, stringField, type JsonObject } from '../ecosystems/json-document.ts'
import { commitOf, npmPackage } from './npm-package.ts'
import { uniquePackages } from '../unique-packages.ts'

function groupsOf(e: JsonObject): string[] {
  const g: string[] = []
  if (e.dev === true || e.devOptional === true) g.push('dev')
  if (e.optional === true || e.devOptional === true) g.push('optional')
  return g
}

/** `npm:real-name@1.2.3` → ['real-name', '1.2.3']. */
function alias(spec: string): [string, string] | undefined {
  if (!spec.startsWith('npm:')) return undefined
  const s = spec.slice(4)
  const at = s.lastIndexOf('@')
  return at > 0 ? [s.slice(0, at), s.slice(at + 1)] : undefined
}

function fromPackages(packages: JsonObject, ctx: ParseContext): Package[] {
  const out: Package[] = []
  // A `link` entry names a local folder (a workspace or a file: dependency) installed
  // under that name; the folder's own entry holds its version.
  const linkedAs = new Map<string, string>()
  for (const [path, value] of Object.entries(packages)) {
    const i = path.lastIndexOf('node_modules/')
    if (isObject(value) && value.link === true && i !== -1 && typeof value.resolved === 'string') linkedAs.set(value.resolved, path.slice(i + 13))
  }
  for (const [path, value] of Object.entries(packages)) {
    if (path === '' || !isObject(value) || value.link === true) continue
    const i = path.lastIndexOf('node_modules/')
    // A local folder (file: dependency, workspace) outside node_modules: named by its link, else by its folder.
    const local = i === -1 ? linkedAs.get(path) ?? path.slice(path.lastIndexOf('/') + 1) : undefined
    const name = stringField(value, 'name') ?? local ?? path.slice(i + 'node_modules/'.length)
    const resolved = stringField(value, 'resolved')
    const commit = commitOf(resolved)
    out.push(npmPackage(name, stringField(value, 'version') ?? '', ctx.path, { groups: groupsOf(value), commit }))
  }
  return out
}

function fromDependencies(deps: JsonObject, ctx: ParseContext, out: Package[]): Package[] {
  for (const [key, value] of Object.entries(deps)) {
    if (!isObject(value)) continue
    let name = key
    let version = stringField(value, 'version') ?? ''
    let commit: string | undefined
    const a = alias(version)
    if (a) [name, version] = a
    else if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|https?:.*\.git)/.test(version) || version.includes('#')) {
      commit = commitOf(version)
      version = ''
    } else if (version.startsWith('file:') || version.startsWith('link:')) version = ''
    out.push(npmPackage(name, version, ctx.path, { groups: groupsOf(value), commit }))
    if (isObject(value.dependencies)) fromDependencies(value.dependencies, ctx, out)
  }
  return out
}

function parsePackageLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseJsonObject(text, 'package-lock.json')
  if (doc.packages !== undefined) {
    if (!isObject(doc.packages)) throw new LockfileError('bad-structure', 'package-lock.json: packages is not an object')
    return uniquePackages(fromPackages(doc.packages, ctx))
  }
  if (doc.dependencies !== undefined && !isObject(doc.dependencies)) throw new LockfileError('bad-structure', 'package-lock.json: dependencies is not an object')
  return uniquePackages(fromDependencies(isObject(doc.dependencies) ? doc.dependencies : {}, ctx, []))
}

export const packageLock: LockfileParser = {
  id: 'package-lock',
  matches: (relPath) => { const b = basename(relPath); return b === 'package-lock.json' || b === 'npm-shrinkwrap.json' },
  parse: parsePackageLock,
}
