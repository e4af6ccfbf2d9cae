// Lockfiles repeat a package wherever it is installed or declared; a scan reports it once.
import type { Package } from '../../../protocol/index.ts'

/** One package per name, version and commit; groups narrowed to what every occurrence shares. */
export function uniquePackages(list: Package[]): Package[] {
  const seen = new Map<string, Package>()
  for (const p of list) {
    const key = `${p.name}@${p.version}#${p.commit ?? ''}`
    const prev = seen.get(key)
    if (!prev) { seen.set(key, p); continue }
    // The same package reached as dev and as prod is a prod dependency.
    if (!p.groups?.length || !prev.groups?.length) delete prev.groups
    else prev.groups = prev.groups.filter((g) => p.groups!.includes(g))
    prev.commit ??= p.commit
  }
  return [...seen.values()]
}
