// One agent scan into its signed history: diff the scan against the agent's findings and
// inventory docs, and append what changed as envelopes signed with the agent key.
import { buildEnvelope, deltaOf, findingsDoc, inventoryDoc, openAuthorDoc, writeFindings, writeInventory, writeScanRecord, type Author, type Finding } from '../../crdt/index.ts'
import type { Package } from '../../protocol/index.ts'
import type { AgentStore } from './agent-store.ts'

const OWN_DOCS = { rights: { hubs: new Set<string>() } }

/** Appends the changes a scan makes to one of the agent's docs; the bytes appended. */
async function commit(store: AgentStore, author: Author, doc: string, change: (d: import('yjs').Doc) => void, now: number): Promise<number> {
  const y = openAuthorDoc(author.peerId, await store.log.state(doc))
  const delta = deltaOf(y, () => change(y))
  y.destroy()
  if (!delta) return 0
  const env = buildEnvelope(author, doc, 'yjs', delta, await store.log.head(doc, author.peerId), now)
  await store.log.append(env, OWN_DOCS)
  return env.bytes.length
}

export interface ScanWrite { appendedBytes: number, open: number }

export async function writeScan(store: AgentStore, author: Author, result: { findings: Finding[], packages: Package[], durationMs: number }, now: number): Promise<ScanWrite> {
  const summary = { at: now, findings: result.findings.length, packages: result.packages.length, durationMs: result.durationMs }
  let appendedBytes = await commit(store, author, findingsDoc(author.peerId), (d) => { writeFindings(d, result.findings, now); writeScanRecord(d, summary) }, now)
  appendedBytes += await commit(store, author, inventoryDoc(author.peerId), (d) => writeInventory(d, result.packages), now)
  return { appendedBytes, open: result.findings.length }
}
