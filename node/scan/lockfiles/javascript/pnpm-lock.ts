// pnpm: pnpm-lock.yaml, lockfile versions 5.x to 9. Package keys are `/name/version` (v5),
// `/name@version` (v6–v8) or `name@version` (v9), with peer-dependency suffixes `_…` or
// `(…)`; entries may spell out `name` and `version` instead (git and tarball dependencies,
// whose commit sits in `resolution`). Dev-only packages carry `dev: true` (before v9).
import { parse as parseYaml } from 'yaml'
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, basename, type LockfileParser, type ParseContext } from '../parser.ts'
import { isObject, stringField, type JsonObject } from '../ecosystems/json-document.ts'
import { uniquePackages } from '../unique-packages.ts'
import { commitOf, npmPackage } from './npm-package.ts'

/** Name and version from a package key; the version is undefined when the key holds none. */
export function parsePnpmKey(rawKey: string, lockVersion: number): [string, string | undefined] | undefined {
  let key = rawKey.replace(/\(.*$/, '') // v6+: peer suffix in parentheses
  if (key.startsWith('/')) key = key.slice(1)
  let name: string
  let version: string | undefined
  if (lockVersion < 6) {
    key = key.replace(/_.*$/, '') // v5: peer suffix after `_`
    const parts = key.split('/')
    // Packages from another registry are keyed under its host: `example.com/foo/1.2.0`.
    if (parts.length > 2 && parts[0]!.includes('.') && !parts[0]!.startsWith('@')) parts.shift()
    version = parts.pop()
    name = parts.join('/')
  } else {
    const at = key.indexOf('@', key.startsWith('@') ? 1 : 0)
    if (at <= 0) return undefined
    name = key.slice(0, at)
    version = key.slice(at + 1)
  }
  if (!name) return undefined
  return [name, version && /^\d/.test(version) ? version : undefined]
}

function parsePnpmLock(text: string, ctx: ParseContext): Package[] {
  let doc: unknown
  try {
    doc = parseYaml(text, { maxAliasCount: 1000 })
  } catch (err) {
    throw new LockfileError('bad-syntax', `pnpm-lock.yaml: not valid YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err })
  }
  if (doc === null || doc === undefined) return []
  if (!isObject(doc)) throw new LockfileError('bad-structure', 'pnpm-lock.yaml: top level is not a map')
  const lockVersion = Number.parseFloat(String(doc.lockfileVersion ?? '5'))
  const packages = doc.packages
  if (packages === undefined || packages === null) return []
  if (!isObject(packages)) throw new LockfileError('bad-structure', 'pnpm-lock.yaml: packages is not a map')
  const out: Package[] = []
  for (const [key, raw] of Object.entries(packages)) {
    const entry: JsonObject = isObject(raw) ? raw : {}
    // `file:` keys are paths: only the entry's own name names the package.
    const fromKey = key.startsWith('file:') ? undefined : parsePnpmKey(key, lockVersion)
    const name = stringField(entry, 'name') ?? fromKey?.[0]
    const version = stringField(entry, 'version') ?? fromKey?.[1]
    // A key that names no version (a bare git URL, a malformed path) is no installed package.
    if (!name || version === undefined) continue
    const resolution = isObject(entry.resolution) ? entry.resolution : {}
    const commit = stringField(resolution, 'commit') ?? commitOf(stringField(resolution, 'tarball'))
    out.push(npmPackage(name, version, ctx.path, { groups: entry.dev === true ? ['dev'] : [], commit }))
  }
  return uniquePackages(out)
}

export const pnpmLock: LockfileParser = {
  id: 'pnpm-lock',
  matches: (relPath) => basename(relPath) === 'pnpm-lock.yaml',
  parse: parsePnpmLock,
}
