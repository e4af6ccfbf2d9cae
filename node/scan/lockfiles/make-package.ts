// The one way a parser builds a Package: optional fields only when present. No purl: it
// follows from ecosystem, name and version, and is filled in as packages leave the scanner
// (package-codec.ts unpackPackages), not computed and carried for a million packages.
import type { Package } from '../../../protocol/index.ts'

export interface PackageExtras { groups?: string[], commit?: string }

export function makePackage(ecosystem: string, name: string, version: string, source: string, extra: PackageExtras = {}): Package {
  const p: Package = { ecosystem, name, version, source }
  if (extra.groups && extra.groups.length > 0) p.groups = extra.groups
  if (extra.commit) p.commit = extra.commit
  return p
}
