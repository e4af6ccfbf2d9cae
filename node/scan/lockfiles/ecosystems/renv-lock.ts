// R: renv.lock. Only packages installed from a CRAN repository are CRAN packages;
// Bioconductor, GitHub and local sources are other ecosystems (or none).
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'
import { isObject, parseJsonObject, stringField } from './json-document.ts'

const ECOSYSTEM = 'CRAN'
/** Names renv records for CRAN and Posit's CRAN mirrors (Package Manager, formerly RSPM). */
const CRAN_REPOSITORIES = new Set(['CRAN', 'RSPM', 'PPM', 'P3M'])

function parseRenvLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseJsonObject(text, 'renv.lock')
  const packages = doc.Packages
  if (packages === undefined) return []
  if (!isObject(packages)) throw new LockfileError('bad-structure', 'renv.lock: Packages is not an object')
  const out: Package[] = []
  for (const key of Object.keys(packages)) {
    const entry = packages[key]
    if (!isObject(entry)) throw new LockfileError('bad-structure', `renv.lock: package ${key} is not an object`)
    const repository = stringField(entry, 'Repository')
    if (repository === undefined || !CRAN_REPOSITORIES.has(repository)) continue
    const name = stringField(entry, 'Package') ?? key
    const version = stringField(entry, 'Version')
    if (version === undefined) throw new LockfileError('bad-structure', `renv.lock: package ${key} has no Version`)
    out.push({ ecosystem: ECOSYSTEM, name, version, source: ctx.path })
  }
  return out
}

export const renvLock: LockfileParser = {
  id: 'renv-lock',
  matches: named('renv.lock'),
  parse: parseRenvLock,
}
