// The project's package.json beside its lockfile, for what a lockfile leaves out: yarn.lock
// and the v1 package-lock.json do not say which packages the project declares itself.
// It is read only for that, and leniently: it is not the file being scanned, so a missing
// or broken one just leaves those answers unknown.
import type { ParseContext } from '../parser.ts'

export interface ManifestDependencies {
  /** name → range, per field of package.json */
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
  optionalDependencies: Record<string, string>
  peerDependencies: Record<string, string>
  /** The project has workspaces, whose own declarations this file does not hold. */
  hasWorkspaces: boolean
}

const FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v
  return out
}

/** The dependencies the package.json next to the lockfile declares, if it can be read. */
export function siblingManifest(ctx: ParseContext): ManifestDependencies | undefined {
  const text = ctx.readRelative('package.json')
  if (text === undefined) return undefined
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined
  const o = doc as Record<string, unknown>
  const out = { hasWorkspaces: o.workspaces !== undefined } as ManifestDependencies
  for (const f of FIELDS) out[f] = stringMap(o[f])
  return out
}
