// The envelope log's keys and values in LevelDB: env!<doc>!<author>!<seq> holds an envelope as
// it arrived, head!<doc>!<author> its author's chain head, state!<doc> the doc's checkpoint.
import { pack, unpack, type Envelope, type EnvelopeFields } from '../protocol/index.ts'
import type { ChainHead } from './envelope.ts'
import type { Store } from './envelope-log.ts'

export const SEQ_WIDTH = 12
const seqKey = (n: number) => String(n).padStart(SEQ_WIDTH, '0')
export const envKey = (doc: string, author: string, seq: number) => `env!${doc}!${author}!${seqKey(seq)}`
export const headKey = (doc: string, author: string) => `head!${doc}!${author}`
export const stateKey = (doc: string) => `state!${doc}`

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
