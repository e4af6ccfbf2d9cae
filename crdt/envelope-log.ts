// The envelope log: every envelope as it arrived, keyed env!<doc>!<author>!<seq>, with each
// author's chain head and each doc's materialized Yjs state, committed in one atomic batch
// per envelope. Any replica can hand its envelopes on unchanged; nothing is stored or applied
// before it verifies (signature, chain, write rights, revocation).
import type { AbstractLevel } from 'abstract-level'
import * as Y from 'yjs'
import { pack, unpack, type Envelope } from '../protocol/index.ts'
import { mayWrite, type WriteRights } from './doc-names.ts'
import { checkSignature, hashOf, openEnvelope, placeOnChain, type ChainHead } from './envelope.ts'
import { EnvelopeError } from './errors.ts'

export type Store = AbstractLevel<string | Uint8Array, string, Uint8Array>

export interface AppendPolicy {
  rights: WriteRights
  /** Whether an author's certificate is revoked (when one is known). */
  isRevoked?: (author: string) => boolean
}

export type AppendResult = 'stored' | 'duplicate'

export type HaveVector = Record<string, Record<string, number>>

const SEQ_WIDTH = 12
const seqKey = (n: number) => String(n).padStart(SEQ_WIDTH, '0')
const envKey = (doc: string, author: string, seq: number) => `env!${doc}!${author}!${seqKey(seq)}`
const headKey = (doc: string, author: string) => `head!${doc}!${author}`
const stateKey = (doc: string) => `state!${doc}`

export class EnvelopeLog {
  readonly #db: Store
  /** Docs materialized in memory, least recently used first. */
  readonly #open = new Map<string, Y.Doc>()
  readonly #maxOpen: number
  /** Appends run one at a time: each reads the head it extends. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(db: Store, opts: { maxOpenDocs?: number } = {}) {
    this.#db = db
    this.#maxOpen = opts.maxOpenDocs ?? 64
  }

  async head(doc: string, author: string): Promise<ChainHead | undefined> {
    const v = await this.#db.get(headKey(doc, author))
    return v === undefined ? undefined : (unpack(v) as ChainHead)
  }

  /** Verifies and stores an envelope (bytes from anywhere, or one just built). */
  append(input: Uint8Array | Envelope, policy: AppendPolicy): Promise<AppendResult> {
    const run = this.#queue.then(() => this.#append(input instanceof Uint8Array ? openEnvelope(input) : input, policy))
    this.#queue = run.catch(() => {})
    return run
  }

  async #append(env: Envelope, policy: AppendPolicy): Promise<AppendResult> {
    if (!mayWrite(env.doc, env.author, policy.rights)) throw new EnvelopeError('wrong-author', `${env.author} may not write ${env.doc}`)
    checkSignature(env)
    if (policy.isRevoked?.(env.author)) throw new EnvelopeError('revoked', `${env.author} is revoked`)
    const head = await this.head(env.doc, env.author)
    if (placeOnChain(env, head) === 'old') {
      const held = await this.#db.get(envKey(env.doc, env.author, env.seq))
      if (held && held.length === env.bytes.length && held.every((b, i) => b === env.bytes[i])) return 'duplicate'
      // Below a snapshot the log may be compacted: an older seq we no longer hold is not news.
      if (!held) return 'duplicate'
      throw new EnvelopeError('replay', `${env.doc}: a different envelope ${env.seq} of ${env.author} is held`)
    }
    const doc = await this.#materialize(env.doc)
    try {
      Y.applyUpdate(doc, env.payload, 'log')
    } catch (err) {
      this.#open.delete(env.doc)
      throw new EnvelopeError('bad-payload', `${env.doc}#${env.seq}: the Yjs update does not apply`, { cause: err })
    }
    await this.#db.batch([
      { type: 'put', key: envKey(env.doc, env.author, env.seq), value: env.bytes },
      { type: 'put', key: headKey(env.doc, env.author), value: pack({ seq: env.seq, hash: hashOf(env) }) },
      { type: 'put', key: stateKey(env.doc), value: Y.encodeStateAsUpdate(doc) },
    ])
    return 'stored'
  }

  /** The doc as the log has it (kept open for later appends; released when idle). */
  async #materialize(name: string): Promise<Y.Doc> {
    let doc = this.#open.get(name)
    if (doc) { this.#open.delete(name); this.#open.set(name, doc); return doc }
    doc = new Y.Doc()
    const state = await this.#db.get(stateKey(name))
    if (state) Y.applyUpdate(doc, state)
    this.#open.set(name, doc)
    while (this.#open.size > this.#maxOpen) {
      const [oldest, d] = this.#open.entries().next().value!
      this.#open.delete(oldest)
      d.destroy()
    }
    return doc
  }

  /** The doc's state as one Yjs update, or undefined when the log holds nothing of it. */
  async state(doc: string): Promise<Uint8Array | undefined> {
    const open = this.#open.get(doc)
    if (open) return Y.encodeStateAsUpdate(open)
    return this.#db.get(stateKey(doc))
  }

  /** Envelopes of one author on one doc, in seq order, from `fromSeq` (inclusive). */
  async *read(doc: string, author: string, fromSeq = 1, toSeq = Number.MAX_SAFE_INTEGER): AsyncGenerator<Uint8Array> {
    for await (const value of this.#db.values({ gte: envKey(doc, author, fromSeq), lte: envKey(doc, author, Math.min(toSeq, 10 ** SEQ_WIDTH - 1)) })) yield value
  }

  /** {doc → {author → highest seq}} of everything held. */
  async haveVector(): Promise<HaveVector> {
    const out: HaveVector = {}
    for await (const [key, value] of this.#db.iterator({ gte: 'head!', lt: 'head"' })) {
      const rest = key.slice(5)
      const cut = rest.lastIndexOf('!')
      const doc = rest.slice(0, cut)
      ;(out[doc] ??= {})[rest.slice(cut + 1)] = (unpack(value) as ChainHead).seq
    }
    return out
  }

  /** Bytes held for a doc's envelopes (for `zt agent log` and the bench). */
  async sizeOf(doc: string): Promise<{ envelopes: number, bytes: number }> {
    let envelopes = 0
    let bytes = 0
    for await (const v of this.#db.values({ gte: `env!${doc}!`, lt: `env!${doc}"` })) { envelopes++; bytes += v.length }
    return { envelopes, bytes }
  }
}
