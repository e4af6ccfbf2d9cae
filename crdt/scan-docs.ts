// Scan results into the agent's two docs, writing only what changed: new findings,
// resolved ones (resolvedAt), reopened ones, changed severity / fix / score; packages added
// and removed. Y.Map keeps every overwritten value, so an unchanged entry is never set again.
import type * as Y from 'yjs'
import type { Package } from '../protocol/index.ts'
import type { Finding } from './finding.ts'
import { clean } from './map-entry.ts'
import { entryValue, type EntryChange } from './map-update.ts'

export const FINDINGS = 'findings'
export const PACKAGES = 'packages'
export const SCAN = 'scan'

/** Fields whose change is news; everything else (firstSeen, resolvedAt) is the doc's own. */
function sameFinding(a: Finding, b: Finding): boolean {
  return a.severity === b.severity && a.score === b.score && a.title === b.title && a.evidence === b.evidence &&
    a.line === b.line && sameList(a.fixedIn, b.fixedIn) && sameList(a.aliases, b.aliases)
}

/** Lists of strings, absent equal to empty (a rescan compares every finding: no JSON here). */
function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  const x = a ?? []
  const y = b ?? []
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

/** The last scan's record in the agent's findings doc; `version` is the agent's ZeroTrace version. */
export interface ScanSummary { at: number, findings: number, packages: number, durationMs?: number, version?: string }

/**
 * What a finding is stored as: its defined fields (never its resolvedAt), in its own order,
 * then the doc's firstSeen — given as the change's `also` (map-update.ts), so a scan of
 * 100,000 findings does not copy each one to add a field.
 */
const storedAs = (firstSeen: number) => ({ firstSeen, resolvedAt: undefined })

/** The entries a scan changes in the findings doc: new, changed, reopened and resolved findings. */
export function findingChanges(doc: Y.Doc, findings: Finding[], now: number): [string, Finding][] {
  return Array.from(findingChangesOf(doc, findings, now), (c) => [c.key, entryValue(c) as Finding])
}

/**
 * As findingChanges, one entry change at a time: a writer that encodes them as they come
 * holds no copy of 100,000 stored findings (each change names the scan's finding and what
 * the doc adds to it, `also`).
 * The doc must not change while they are taken.
 */
export function* findingChangesOf(doc: Y.Doc, findings: Finding[], now: number): Generator<EntryChange> {
  const map = doc.getMap<Finding>(FINDINGS)
  // What every new finding gets laid over it (one object, shared).
  const fresh = storedAs(now)
  // (Y.Map's size walks every entry: asking its iterator for a first key does not.)
  if (map.keys().next().done) {
    // A doc with no findings yet (an agent's first scan): nothing to compare or resolve, so
    // no set of 100,000 ids. A finding reported twice then comes twice; written in one series
    // (map-update.ts), every replica keeps the first of the two, as the diff below would.
    for (const f of findings) yield { map: FINDINGS, key: f.id, value: f, also: fresh }
    return
  }
  const seen = new Set<string>()
  for (const f of findings) {
    // One entry per key: a finding reported twice is written once (the first).
    if (seen.has(f.id)) continue
    seen.add(f.id)
    const held = map.get(f.id)
    if (!held) yield { map: FINDINGS, key: f.id, value: f, also: fresh }
    else if (held.resolvedAt !== undefined || !sameFinding(held, f)) yield { map: FINDINGS, key: f.id, value: f, also: storedAs(held.firstSeen ?? now) }
  }
  for (const [id, held] of map.entries()) {
    if (!seen.has(id) && held.resolvedAt === undefined) yield { map: FINDINGS, key: id, value: { ...held, resolvedAt: now } }
  }
}

/** Writes a scan's findings into the findings doc (call inside deltaOf). */
export function writeFindings(doc: Y.Doc, findings: Finding[], now: number): void {
  const map = doc.getMap<Finding>(FINDINGS)
  for (const [id, f] of findingChanges(doc, findings, now)) map.set(id, f)
}

export function packageKey(p: Package): string {
  return `${p.source}\u0000${p.ecosystem}\u0000${p.name}\u0000${p.version}`
}

/** The inventory entries a scan adds (key → package) and removes (key → undefined). */
export function inventoryChanges(doc: Y.Doc, packages: Package[]): [string, Package | undefined][] {
  const map = doc.getMap<Package>(PACKAGES)
  const out: [string, Package | undefined][] = []
  const seen = new Set<string>()
  for (const p of packages) {
    const key = packageKey(p)
    if (seen.has(key)) continue
    seen.add(key)
    if (!map.has(key)) out.push([key, clean(p)])
  }
  for (const key of map.keys()) if (!seen.has(key)) out.push([key, undefined])
  return out
}

/** Writes a scan's inventory into the inventory doc (call inside deltaOf). */
export function writeInventory(doc: Y.Doc, packages: Package[]): void {
  const map = doc.getMap<Package>(PACKAGES)
  for (const [key, p] of inventoryChanges(doc, packages)) if (p) map.set(key, p); else map.delete(key)
}

/** The scan record as an entry change: when the agent last looked (lastSeen lives here, not on every finding). */
export function scanRecordChange(summary: ScanSummary): EntryChange {
  return { map: SCAN, key: 'last', value: clean(summary) }
}

/** Writes the scan record into the findings doc (call inside deltaOf). */
export function writeScanRecord(doc: Y.Doc, summary: ScanSummary): void {
  const { map, key, value } = scanRecordChange(summary)
  doc.getMap(map).set(key, value)
}
