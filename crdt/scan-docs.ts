// Scan results into the agent's two docs, writing only what changed: new findings,
// resolved ones (resolvedAt), reopened ones, changed severity / fix / score; packages added
// and removed. Y.Map keeps every overwritten value, so an unchanged entry is never set again.
import type * as Y from 'yjs'
import type { Package } from '../protocol/index.ts'
import type { Finding } from './finding.ts'

export const FINDINGS = 'findings'
export const PACKAGES = 'packages'
export const SCAN = 'scan'

/** Fields whose change is news; everything else (firstSeen, resolvedAt) is the doc's own. */
function sameFinding(a: Finding, b: Finding): boolean {
  return a.severity === b.severity && a.score === b.score && a.title === b.title && a.evidence === b.evidence &&
    a.line === b.line && JSON.stringify(a.fixedIn ?? []) === JSON.stringify(b.fixedIn ?? []) &&
    JSON.stringify(a.aliases ?? []) === JSON.stringify(b.aliases ?? [])
}

function clean<T extends object>(o: T): T {
  // Yjs stores JSON: undefined fields would come back as null.
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

export interface ScanSummary { at: number, findings: number, packages: number, durationMs?: number }

/** Writes a scan's findings into the findings doc (call inside deltaOf). */
export function writeFindings(doc: Y.Doc, findings: Finding[], now: number): void {
  const map = doc.getMap<Finding>(FINDINGS)
  const seen = new Set<string>()
  for (const f of findings) {
    seen.add(f.id)
    const held = map.get(f.id)
    if (!held) { map.set(f.id, clean({ ...f, firstSeen: now, resolvedAt: undefined })); continue }
    if (held.resolvedAt !== undefined || !sameFinding(held, f)) map.set(f.id, clean({ ...f, firstSeen: held.firstSeen ?? now, resolvedAt: undefined }))
  }
  for (const [id, held] of map.entries()) {
    if (!seen.has(id) && held.resolvedAt === undefined) map.set(id, { ...held, resolvedAt: now })
  }
}

export function packageKey(p: Package): string {
  return `${p.source}\u0000${p.ecosystem}\u0000${p.name}\u0000${p.version}`
}

/** Writes a scan's inventory into the inventory doc (call inside deltaOf). */
export function writeInventory(doc: Y.Doc, packages: Package[]): void {
  const map = doc.getMap<Package>(PACKAGES)
  const seen = new Set<string>()
  for (const p of packages) {
    const key = packageKey(p)
    seen.add(key)
    if (!map.has(key)) map.set(key, clean(p))
  }
  for (const key of [...map.keys()]) if (!seen.has(key)) map.delete(key)
}

/** The scan record: when the agent last looked (lastSeen lives here, not on every finding). */
export function writeScanRecord(doc: Y.Doc, summary: ScanSummary): void {
  doc.getMap<ScanSummary>(SCAN).set('last', clean(summary))
}
