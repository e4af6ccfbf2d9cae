// One agent scan into its signed history: diff the scan against the agent's findings and
// inventory docs, and append what changed as envelopes signed with the agent key.
import {
  buildEnvelope, findingChangesOf, findingsDoc, inventoryChanges, inventoryDoc, scanRecordChange,
  FINDINGS, PACKAGES, type Author, type EntryChange, type Finding,
} from '../../crdt/index.ts'
import { MAX_PAYLOAD, type Package } from '../../protocol/index.ts'
import type { AgentStore } from './agent-store.ts'

const OWN_DOCS = { rights: { hubs: new Set<string>() } }

/** Payload per envelope, estimated from the entries' JSON: far below the protocol's 4 MiB limit. */
const BYTES_PER_ENVELOPE = 1024 * 1024

/** Rough encoded size of an entry: the free-text fields vary, the rest is small and bounded. */
function estimate(v: unknown): number {
  if (v === undefined || typeof v !== 'object' || v === null) return 16
  const o = v as { title?: string, evidence?: string, path?: string, source?: string }
  return 256 + (o.title?.length ?? 0) + (o.evidence?.length ?? 0) + (o.path?.length ?? 0) + (o.source?.length ?? 0)
}

/** Changes as lists of about BYTES_PER_ENVELOPE each, one envelope per list, taken as they are asked for; `last` ends the last list. */
function* chunked(map: string, changes: Iterable<[string, unknown]>, last?: EntryChange): Generator<EntryChange[]> {
  let list: EntryChange[] = []
  let size = 0
  for (const [key, value] of changes) {
    list.push({ map, key, value })
    size += key.length + estimate(value)
    if (size >= BYTES_PER_ENVELOPE) { yield list; list = []; size = 0 }
  }
  if (last) list.push(last)
  if (list.length > 0) yield list
}

export interface ScanWrite { appendedBytes: number, open: number }

export async function writeScan(store: AgentStore, author: Author, result: { findings: Finding[], packages: Package[], durationMs: number }, now: number): Promise<ScanWrite> {
  const summary = { at: now, findings: result.findings.length, packages: result.packages.length, durationMs: result.durationMs }
  // The scan record rides with the last findings (alone when nothing else changed).
  let appendedBytes = await store.log.writeEntries(findingsDoc(author.peerId), author,
    (d) => chunked(FINDINGS, findingChangesOf(d, result.findings, now), scanRecordChange(summary)), OWN_DOCS, now)
  appendedBytes += await store.log.writeEntries(inventoryDoc(author.peerId), author,
    (d) => chunked(PACKAGES, inventoryChanges(d, result.packages)), OWN_DOCS, now)
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
