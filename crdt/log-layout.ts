// The envelope log's keys and values in LevelDB: env!<doc>!<author>!<seq> holds an envelope as
// it arrived, head!<doc>!<author> its author's chain head, state!<doc> the doc's checkpoint
// (how many chunks, state!<doc>!<n> each chunk of it: see CHECKPOINT_CHUNK).
import { pack, unpack, type Envelope, type EnvelopeFields } from '../protocol/index.ts'
import type { ChainHead } from './envelope.ts'
import type { Store } from './envelope-log.ts'

export const SEQ_WIDTH = 12
const seqKey = (n: number) => String(n).padStart(SEQ_WIDTH, '0')
export const envKey = (doc: string, author: string, seq: number) => `env!${doc}!${author}!${seqKey(seq)}`
export const headKey = (doc: string, author: string) => `head!${doc}!${author}`
export const stateKey = (doc: string) => `state!${doc}`
const chunkKey = (doc: string, n: number) => `state!${doc}!${String(n).padStart(8, '0')}`

/**
 * A checkpoint is stored in chunks of at most this many bytes. LevelDB keeps a value in one
 * block and reads a whole block to step onto or past its key, so a checkpoint stored whole
 * (30 MB for 100,000 findings) was read again by every range scan that ended beside it: the
 * chain heads of a have-vector, and the seek of each older table for the newest envelopes.
 * Once a doc was checkpointed, each of those took ~20 ms per 30 MB (bench:sync with 200
 * rounds: a reconnect's p50 went from ~25 to ~250 ms); in chunks, a fraction of a ms.
 */
export const CHECKPOINT_CHUNK = 128 * 1024

/** What state!<doc> holds: how many chunks, and their bytes in all. */
interface ChunkedCheckpoint { chunks: number, bytes: number }

const isChunked = (v: unknown): v is ChunkedCheckpoint =>
  typeof v === 'object' && v !== null && typeof (v as ChunkedCheckpoint).chunks === 'number' && typeof (v as ChunkedCheckpoint).bytes === 'number'

/** One write of a log batch. */
export type LogOp = { type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }

/** The doc's checkpoint (unpacked), stored in chunks or whole (as stores before chunks held it); undefined where there is none. */
export async function readCheckpoint(db: Store, doc: string): Promise<unknown> {
  const raw = await db.get(stateKey(doc))
  if (raw === undefined) return undefined
  const head = unpack(raw)
  if (!isChunked(head)) return head
  const chunks = await db.getMany(Array.from({ length: head.chunks }, (_, n) => chunkKey(doc, n)))
  const missing = chunks.findIndex((c) => c === undefined)
  if (missing !== -1) throw new Error(`checkpoint of ${doc}: chunk ${missing} of ${head.chunks} is missing`)
  const bytes = Buffer.concat(chunks as Uint8Array[])
  if (bytes.length !== head.bytes) throw new Error(`checkpoint of ${doc}: ${bytes.length} bytes where ${head.bytes} were stored`)
  return unpack(bytes)
}

/** The entries storing `bytes` as the doc's checkpoint in place of the one stored, chunks it no longer fills deleted (one atomic batch). */
export async function checkpointEntries(db: Store, doc: string, bytes: Uint8Array): Promise<LogOp[]> {
  const raw = await db.get(stateKey(doc))
  const before = raw === undefined ? 0 : chunkCount(raw)
  const chunks = Math.ceil(bytes.length / CHECKPOINT_CHUNK)
  const ops: LogOp[] = [{ type: 'put', key: stateKey(doc), value: pack({ chunks, bytes: bytes.length } satisfies ChunkedCheckpoint) }]
  for (let n = 0; n < chunks; n++) ops.push({ type: 'put', key: chunkKey(doc, n), value: bytes.subarray(n * CHECKPOINT_CHUNK, (n + 1) * CHECKPOINT_CHUNK) })
  for (let n = chunks; n < before; n++) ops.push({ type: 'del', key: chunkKey(doc, n) })
  return ops
}

/** How many chunks a state!<doc> value names (none for a checkpoint stored whole). */
function chunkCount(raw: Uint8Array): number {
  // A whole checkpoint is the large one: only a value of a header's size is worth unpacking.
  if (raw.length > 64) return 0
  const head = unpack(raw)
  return isChunked(head) ? head.chunks : 0
}

/** The key range of one author's envelopes on a doc, seqs fromSeq to toSeq. */
export const envRange = (doc: string, author: string, fromSeq: number, toSeq: number) => ({ gte: envKey(doc, author, fromSeq), lte: envKey(doc, author, Math.min(toSeq, 10 ** SEQ_WIDTH - 1)) })

/** The key range of a doc's chain heads, one per author. */
export const headRange = (doc: string) => ({ gte: `head!${doc}!`, lt: `head!${doc}"` })

/** The doc and author of a `<prefix><doc>!<author>` key (split at the last `!`: a PeerId holds none). */
export function docAndAuthorOf(key: string, prefix: string): { doc: string, author: string } {
  const rest = key.slice(prefix.length)
  const cut = rest.lastIndexOf('!')
  return { doc: rest.slice(0, cut), author: rest.slice(cut + 1) }
}

/** The doc and author of a `head!<doc>!<author>` key. */
export const ofHeadKey = (key: string) => docAndAuthorOf(key, 'head!')

/** The log's entries for envelopes of one author on one doc, in seq order: each as it arrived, and the author's new chain head. */
export function entriesOf(envs: Envelope[], head: ChainHead): { type: 'put', key: string, value: Uint8Array }[] {
  const ops: { type: 'put', key: string, value: Uint8Array }[] = envs.map((env) => ({ type: 'put', key: envKey(env.doc, env.author, env.seq), value: env.bytes }))
  ops.push(headEntry(envs[0]!.doc, envs[0]!.author, head))
  return ops
}

/** The log's entry for an author's chain head on a doc. */
export function headEntry(doc: string, author: string, head: ChainHead): { type: 'put', key: string, value: Uint8Array } {
  return { type: 'put', key: headKey(doc, author), value: pack({ seq: head.seq, hash: head.hash }) }
}

/** An envelope this log stored (so verified): its fields, the payload a view of the bytes. */
export function storedEnvelope(bytes: Uint8Array): Envelope {
  const outer = unpack(bytes) as { body: Uint8Array, sig: Uint8Array }
  const body = unpack(outer.body) as EnvelopeFields
  return { ...body, body: outer.body, sig: outer.sig, bytes }
}

/** {doc → {author → highest seq}}. */
export type HaveVector = Record<string, Record<string, number>>

/** The have-vector of everything a log's store holds: its chain heads. */
export async function haveVectorOf(db: Store): Promise<HaveVector> {
  const out: HaveVector = {}
  for await (const [key, value] of db.iterator({ gte: 'head!', lt: 'head"' })) {
    const { doc, author } = ofHeadKey(key)
    ;(out[doc] ??= {})[author] = (unpack(value) as ChainHead).seq
  }
  return out
}

/** How many envelopes a log's store holds for a doc, and their bytes. */
export async function sizeOfDoc(db: Store, doc: string): Promise<{ envelopes: number, bytes: number }> {
  const size = { envelopes: 0, bytes: 0 }
  for await (const v of db.values({ gte: `env!${doc}!`, lt: `env!${doc}"` })) { size.envelopes++; size.bytes += v.length }
  return size
}
