// Pipenv: Pipfile.lock (JSON). `default` holds the production packages, `develop` the dev
// ones; a package in both is a production one. Versions are pinned as `==x` (or `===x`).
// VCS entries have a `ref` but no version: nothing to match them on, they are left out,
// as both osv-scanner and osv-scalibr do.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named, type LockfileParser, type ParseContext } from '../parser.ts'
import { uniquePackages } from '../unique-packages.ts'
import { pypiPackage } from './pypi-package.ts'

const SECTIONS = [['default', []], ['develop', ['dev']]] as const

type JsonObject = Record<string, unknown>

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function parsePipfileLock(input: string, ctx: ParseContext): Package[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  if (text.trim() === '') return []
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new LockfileError('bad-syntax', `Pipfile.lock: not valid JSON: ${(err as Error).message}`, { cause: err })
  }
  if (!isObject(doc)) throw new LockfileError('bad-structure', 'Pipfile.lock: the document is not a JSON object')
  const out: Package[] = []
  for (const [section, groups] of SECTIONS) {
    const deps = doc[section]
    if (deps === undefined || deps === null) continue
    if (!isObject(deps)) throw new LockfileError('bad-structure', `Pipfile.lock: ${section} is not an object`)
    for (const name of Object.keys(deps)) {
      const entry = deps[name]
      if (!isObject(entry)) throw new LockfileError('bad-structure', `Pipfile.lock: ${section}.${name} is not an object`)
      const version = entry.version
      if (version === undefined) continue
      if (typeof version !== 'string') throw new LockfileError('bad-structure', `Pipfile.lock: ${section}.${name}.version is not a string`)
      const ref = entry.ref
      out.push(pypiPackage(name, pinned(version), ctx.path, { groups: [...groups], commit: typeof ref === 'string' ? ref : undefined }))
    }
  }
  return uniquePackages(out)
}

/** `==1.2.3` → `1.2.3`; `===x` is the arbitrary-equality pin. */
function pinned(version: string): string {
  if (version.startsWith('===')) return version.slice(3).trim()
  if (version.startsWith('==')) return version.slice(2).trim()
  return version
}

export const pipfileLock: LockfileParser = {
  id: 'pipfile-lock',
  matches: named('Pipfile.lock'),
  parse: parsePipfileLock,
}
