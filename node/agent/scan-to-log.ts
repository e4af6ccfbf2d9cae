// One agent scan into its signed history: diff the scan against the agent's findings and
// inventory docs, and append what changed as envelopes signed with the agent key.
import {
  buildEnvelope, findingChangesOf, findingsDoc, inventoryChanges, inventoryDoc, scanRecordChange,
  PACKAGES, type Author, type Finding,
} from '../../crdt/index.ts'
import { MAX_PAYLOAD, ZEROTRACE_VERSION, type Package } from '../../protocol/index.ts'
import type { AgentStore } from './agent-store.ts'

const OWN_DOCS = { rights: { hubs: new Set<string>() } }

export interface ScanWrite { appendedBytes: number, open: number }

export async function writeScan(store: AgentStore, author: Author, result: { findings: Finding[], packages: Package[], durationMs: number }, now: number): Promise<ScanWrite> {
  const summary = { at: now, findings: result.findings.length, packages: result.packages.length, durationMs: result.durationMs, version: ZEROTRACE_VERSION }
  // The scan record comes last: it rides with the last findings (alone when nothing else changed).
  let appendedBytes = await store.log.writeEntries(findingsDoc(author.peerId), author,
    function* (d) { yield* findingChangesOf(d, result.findings, now); yield scanRecordChange(summary) }, OWN_DOCS, now)
  appendedBytes += await store.log.writeEntries(inventoryDoc(author.peerId), author,
    function* (d) { for (const [key, value] of inventoryChanges(d, result.packages)) yield { map: PACKAGES, key, value } }, OWN_DOCS, now)
  return { appendedBytes, open: result.findings.length }
}

/** By default a doc's log is compacted once this many envelopes pile up since its last snapshot. */
export const COMPACT_AFTER = 64

/** Replaces a long run of the agent's envelopes on a doc with one snapshot (when it fits one envelope). */
export async function compactIfLong(store: AgentStore, author: Author, now: number, after = COMPACT_AFTER): Promise<number> {
  let removed = 0
  for (const doc of [findingsDoc(author.peerId), inventoryDoc(author.peerId)]) {
    const { envelopes } = await store.log.sizeOf(doc)
    if (envelopes < after) continue
    const state = await store.log.state(doc)
    if (!state || state.length > MAX_PAYLOAD) continue
    const r = await store.log.compact(doc, (s, head) => buildEnvelope(author, doc, 'snapshot', s, head, now), OWN_DOCS)
    removed += r?.removed ?? 0
  }
  return removed
}
