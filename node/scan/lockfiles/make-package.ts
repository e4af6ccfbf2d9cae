// The one way a parser builds a Package: purl computed, optional fields only when present.
import { purlOf, type Package } from '../../../protocol/index.ts'

export interface PackageExtras { groups?: string[], commit?: string }

export function makePackage(ecosystem: string, name: string, version: string, source: string, extra: PackageExtras = {}): Package {
  const p: Package = { ecosystem, name, version, source }
  const purl = purlOf(ecosystem, name, version)
  if (purl) p.purl = purl
  if (extra.groups && extra.groups.length > 0) p.groups = extra.groups
  if (extra.commit) p.commit = extra.commit
  return p
}
