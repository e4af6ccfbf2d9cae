// What every Python parser builds: a PyPI Package, the name kept as the file writes it
// (matching normalizes it per PEP 503, and so does its purl, protocol/package.ts purlOf).
import type { Package } from '../../../../protocol/index.ts'
import { makePackage, type PackageExtras } from '../make-package.ts'

export function pypiPackage(name: string, version: string, source: string, extra: PackageExtras = {}): Package {
  return makePackage('PyPI', name, version, source, extra)
}
