// One agent scan into its signed history: diff the scan against the agent's findings and
// inventory docs, and append what changed as envelopes signed with the agent key.
import * as Y from 'yjs'
import {
  buildEnvelope, deltaOf, findingChanges, findingsDoc, inventoryChanges, inventoryDoc, openAuthorDoc, writeScanRecord,
  FINDINGS, PACKAGES, type Author, type Finding,
} from '../../crdt/index.ts'
import { MAX_PAYLOAD, type Package } from '../../protocol/index.ts'
import type { AgentStore } from './agent-store.ts'

const OWN_DOCS = { rights: { hubs: new Set<string>() } }

/** Payload per envelope, estimated from the entries' JSON: far below the protocol's 4 MiB limit. */
const BYTES_PER_ENVELOPE = 1024 * 1024

/**
 * Appends a doc's changes as envelopes of about BYTES_PER_ENVELOPE each (plus a final step,
 * e.g. the scan record); the bytes appended.
 */
async function commit(store: AgentStore, author: Author, doc: string, mapName: string, plan: (d: Y.Doc) => [string, unknown][], last: ((d: Y.Doc) => void) | undefined, now: number): Promise<number> {
  const y = openAuthorDoc(author.peerId, await store.log.state(doc))
  const map = y.getMap(mapName)
  const changes = plan(y)
  let bytes = 0
  const steps: (() => void)[] = []
  let chunk: [string, unknown][] = []
  let size = 0
  const flush = () => {
    const entries = chunk
    if (entries.length > 0) steps.push(() => { for (const [k, v] of entries) if (v === undefined) map.delete(k); else map.set(k, v) })
    chunk = []
    size = 0
  }
  for (const entry of changes) {
    chunk.push(entry)
    size += entry[0].length + (entry[1] === undefined ? 8 : JSON.stringify(entry[1]).length)
    if (size >= BYTES_PER_ENVELOPE) flush()
  }
  flush()
  if (last) steps.push(() => last(y))
  for (const step of steps) {
    const delta = deltaOf(y, step)
    if (!delta) continue
    const env = buildEnvelope(author, doc, 'yjs', delta, await store.log.head(doc, author.peerId), now)
    await store.log.append(env, OWN_DOCS)
    bytes += env.bytes.length
  }
  y.destroy()
  return bytes
}

export interface ScanWrite { appendedBytes: number, open: number }

export async function writeScan(store: AgentStore, author: Author, result: { findings: Finding[], packages: Package[], durationMs: number }, now: number): Promise<ScanWrite> {
  const summary = { at: now, findings: result.findings.length, packages: result.packages.length, durationMs: result.durationMs }
  let appendedBytes = await commit(store, author, findingsDoc(author.peerId), FINDINGS, (d) => findingChanges(d, result.findings, now), (d) => writeScanRecord(d, summary), now)
  appendedBytes += await commit(store, author, inventoryDoc(author.peerId), PACKAGES, (d) => inventoryChanges(d, result.packages), undefined, now)
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
