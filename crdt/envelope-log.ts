// The envelope log: every envelope as it arrived, keyed env!<doc>!<author>!<seq>, with each
// author's chain head, committed in one atomic batch per envelope (or per appendMany call).
// A doc's state is the envelopes' payloads applied in order; a checkpoint (state!<doc>: the
// state plus the seq of each author it covers) is written where it pays (see `due` in open-doc.ts), so
// materializing a doc is the checkpoint plus the envelopes after it. Any replica can hand
// its envelopes on unchanged; nothing is stored or applied before it verifies.
import { randomInt } from 'node:crypto'
import type { AbstractLevel } from 'abstract-level'
import * as Y from 'yjs'
import { FRAME_ROOM_AFTER, FRAME_ROOM_BEFORE, pack, unpack, type Envelope } from '../protocol/index.ts'
import { mayWrite, type WriteRights } from './doc-names.ts'
import { entriesOf, envKey, envRange, headKey, headRange, ofHeadKey, SEQ_WIDTH, stateKey, storedEnvelope } from './log-layout.ts'
import { changeOf, type Change } from './author-doc.ts'
import { clientIdOf } from './client-id.ts'
import { checkSignature, hashOf, openEnvelope, placeOnChain, type Author, type ChainHead } from './envelope.ts'
import { EnvelopeError } from './errors.ts'
import { MapUpdateWriter, type EntryChange } from './map-update.ts'
import { applyUpdate, stringTable } from './lib0-reader.ts'
import { applyCounting, changedKeys, checkpointed, checkpointOf, due, type Checkpoint, type OpenDoc } from './open-doc.ts'
import { signAndStore } from './sign-pipeline.ts'

export type Store = AbstractLevel<string | Uint8Array, string, Uint8Array>

export interface AppendPolicy {
  rights: WriteRights
  /** Whether an author's certificate is revoked (when one is known). */
  isRevoked?: (author: string) => boolean
  /**
   * Called once the envelope is stored, with the doc as it now stands and the keys its
   * update changed per root map (what indexes over the doc need, without diffing it whole).
   */
  observe?: (doc: Y.Doc, changed: Map<string, Set<string>>) => void
}

export type AppendResult = 'stored' | 'duplicate'

export type HaveVector = Record<string, Record<string, number>>

/** Updates of one writeEntries call up to this size are applied to the open doc; larger ones drop it (see writeEntries). */
const APPLY_AT_MOST = 1024 * 1024
/** A writer's envelopes carry about this much: far below the protocol's 4 MiB limit, and a peer acks each. */
export const BYTES_PER_ENVELOPE = 1024 * 1024

/** Envelopes verified and applied, not yet stored: their entries, and what later ones must see. */
interface Batch {
  ops: { type: 'put', key: string, value: Uint8Array }[]
  heads: Map<string, ChainHead>
  envelopes: Map<string, Uint8Array>
  docs: Map<string, OpenDoc>
  applied: { open: OpenDoc, env: Envelope, overwrote: boolean, changed?: Map<string, Set<string>>, observe?: AppendPolicy['observe'] }[]
}

const newBatch = (): Batch => ({ ops: [], heads: new Map(), envelopes: new Map(), docs: new Map(), applied: [] })

export class EnvelopeLog {
  readonly #db: Store
  /** Docs materialized in memory, least recently used first. */
  readonly #open = new Map<string, OpenDoc>()
  readonly #maxOpen: number
  /** Appends run one at a time: each reads the head it extends. */
  #queue: Promise<unknown> = Promise.resolve()

  readonly #storeCopies: boolean
  /** `storeCopies`: the store copies a batch's values (classic-level does; memory-level keeps the views), so a writer may reuse their buffers once stored. */
  constructor(db: Store, opts: { maxOpenDocs?: number, storeCopies?: boolean } = {}) {
    this.#db = db
    this.#maxOpen = opts.maxOpenDocs ?? 64
    this.#storeCopies = opts.storeCopies ?? false
  }

  async head(doc: string, author: string): Promise<ChainHead | undefined> {
    const v = await this.#db.get(headKey(doc, author))
    return v === undefined ? undefined : (unpack(v) as ChainHead)
  }

  /** Verifies and stores an envelope (bytes from anywhere, or one just built). */
  append(input: Uint8Array | Envelope, policy: AppendPolicy): Promise<AppendResult> {
    return this.#serially(async () => {
      const batch = newBatch()
      const result = await this.#stage(input instanceof Uint8Array ? openEnvelope(input) : input, policy, batch)
      await this.#commit(batch)
      return result
    })
  }

  /**
   * Verifies and stores many envelopes (a peer's catch-up, a bundle) in order, committing all
   * that verify in one atomic batch: each envelope with its chain head, as `append` does,
   * at a fraction of the cost per envelope. An envelope that fails verification is answered
   * with its EnvelopeError in its place and changes nothing; the others go on (later ones of
   * the same chain then fail too, named as what they are: a gap). Throws only when the store
   * fails, and then nothing of the call is stored. The batch is held in memory until it
   * commits: callers bound a call (a few hundred envelopes, a few MiB).
   */
  appendMany(inputs: Iterable<Uint8Array | Envelope>, policy: AppendPolicy): Promise<(AppendResult | EnvelopeError)[]> {
    return this.#serially(async () => {
      let batch = newBatch()
      const out: (AppendResult | EnvelopeError)[] = []
      try {
        for (const input of inputs) {
          try {
            out.push(await this.#stage(input instanceof Uint8Array ? openEnvelope(input) : input, policy, batch))
          } catch (err) {
            if (!(err instanceof EnvelopeError)) throw err
            out.push(err)
            // A payload that does not apply dropped its doc: what is staged goes to the store
            // first, so the doc is rebuilt from everything before it.
            if (err.code === 'bad-payload') { await this.#commit(batch); batch = newBatch() }
          }
        }
      } catch (err) {
        this.#abort(batch)
        throw err
      }
      await this.#commit(batch)
      return out
    })
  }

  /**
   * Verifies an envelope against the log and what `batch` already holds, applies it to the
   * doc and adds its entries to the batch. Nothing is stored until the batch is committed.
   */
  async #stage(env: Envelope, policy: AppendPolicy, batch: Batch): Promise<AppendResult> {
    if (!mayWrite(env.doc, env.author, policy.rights)) throw new EnvelopeError('wrong-author', `${env.author} may not write ${env.doc}`)
    checkSignature(env)
    if (policy.isRevoked?.(env.author)) throw new EnvelopeError('revoked', `${env.author} is revoked`)
    const chain = headKey(env.doc, env.author)
    const head = batch.heads.has(chain) ? batch.heads.get(chain) : await this.head(env.doc, env.author)
    if (placeOnChain(env, head) === 'old') {
      const key = envKey(env.doc, env.author, env.seq)
      const held = batch.envelopes.get(key) ?? await this.#db.get(key)
      if (held && held.length === env.bytes.length && held.every((b, i) => b === env.bytes[i])) return 'duplicate'
      // Below a snapshot the log may be compacted: an older seq we no longer hold is not news.
      if (!held) return 'duplicate'
      throw new EnvelopeError('replay', `${env.doc}: a different envelope ${env.seq} of ${env.author} is held`)
    }
    const open = await this.#materialize(env.doc, batch.docs)
    let changed: Map<string, Set<string>> | undefined
    const observe = policy.observe
    let overwrote: boolean
    try {
      overwrote = applyCounting(open.doc, env.payload, observe ? (tr) => { changed = changedKeys(open.doc, tr) } : undefined)
    } catch (err) {
      this.#drop(env.doc)
      batch.docs.delete(env.doc)
      throw new EnvelopeError('bad-payload', `${env.doc}#${env.seq}: the Yjs update does not apply`, { cause: err })
    }
    const next = { seq: env.seq, hash: hashOf(env) }
    batch.heads.set(chain, next)
    batch.envelopes.set(envKey(env.doc, env.author, env.seq), env.bytes)
    batch.ops.push(...entriesOf([env], next))
    batch.docs.set(env.doc, open)
    batch.applied.push({ open, env, overwrote, changed, observe })
    return 'stored'
  }

  async #commit(batch: Batch): Promise<void> {
    if (batch.ops.length === 0) return
    try {
      // Later entries of a key win within a batch: a chain head advanced twice ends at the second.
      await this.#db.batch(batch.ops)
    } catch (err) {
      // The in-memory copies hold changes the store does not: rebuild them from the store.
      this.#abort(batch)
      throw err
    }
    for (const { open, env, overwrote } of batch.applied) this.#applied(open, env, overwrote)
    for (const [name, open] of batch.docs) if (this.#open.get(name) === open && due(open, false)) await this.#checkpoint(name, open)
    // Stored: now those who index the docs hear which keys each envelope changed.
    for (const { open, changed, observe } of batch.applied) observe?.(open.doc, changed ?? new Map())
  }

  #abort(batch: Batch): void {
    for (const name of batch.docs.keys()) this.#drop(name)
  }

  #applied(open: OpenDoc, env: Envelope, overwrote: boolean): void {
    open.upTo[env.author] = env.seq
    open.pending++
    if (overwrote) open.overwriteBytes += env.payload.length
  }

  #drop(name: string): void {
    const open = this.#open.get(name)
    if (!open) return
    this.#open.delete(name)
    open.doc.destroy()
  }

  /**
   * The single writer's path: each step changes the log's own copy of the doc (under the
   * author's fixed clientID) and what it changed goes out as one signed envelope. No second
   * copy of the doc, no re-applying our own update. `plan` runs first, on the current doc,
   * and returns the steps. Returns the envelopes' bytes.
   */
  writeAs(name: string, author: Author, plan: (doc: Y.Doc) => ((doc: Y.Doc) => void)[], policy: AppendPolicy, now: number): Promise<number> {
    return this.#serially(async () => {
      const open = await this.#openToWrite(name, author, policy)
      // Loaded first, then the author's clientID (see author-doc.ts): our own writes continue its clock.
      open.doc.clientID = clientIdOf(author.peerId)
      const steps = plan(open.doc)
      const bytes = await this.#signAndStore(name, author, (function* () {
        for (const step of steps) {
          const change = changeOf(open.doc, () => step(open.doc))
          if (change) yield change
        }
      })(), (env, change) => this.#applied(open, env, change.deleted), now)
      if (due(open, false)) await this.#checkpoint(name, open)
      return bytes
    })
  }

  /**
   * The single writer's path for Y.Map entries (what a scan writes): `plan` runs on the
   * current doc and returns the changes, each key at most once, taken one at a time as they
   * are encoded (the doc does not change meanwhile) into envelopes of about
   * `bytesPerEnvelope`. The updates are encoded straight from the values (map-update.ts: the
   * bytes Y.Map.set and delete would give) and the log's copy of the doc takes them
   * afterwards, as any replica does; a write larger than APPLY_AT_MOST leaves it to be
   * materialized again from the log on its next use instead (an agent drops its docs soon
   * after a scan anyway, and the next reader replays the same envelopes that applying them
   * now would). Returns the envelopes' bytes.
   */
  writeEntries(name: string, author: Author, plan: (doc: Y.Doc) => Iterable<EntryChange>, policy: AppendPolicy, now: number, bytesPerEnvelope = BYTES_PER_ENVELOPE): Promise<number> {
    return this.#serially(async () => {
      const open = await this.#openToWrite(name, author, policy)
      const writer = new MapUpdateWriter(open.doc, clientIdOf(author.peerId))
      // Kept to be applied while the write is small; past that, nothing is held on to.
      let stored: { env: Envelope, change: Change }[] = []
      let size = 0
      const updates = writer.updates(plan(open.doc), bytesPerEnvelope, { before: FRAME_ROOM_BEFORE, after: FRAME_ROOM_AFTER })
      const bytes = await this.#signAndStore(name, author, updates, (env, change) => {
        size += change.update.length
        if (size <= APPLY_AT_MOST) { stored.push({ env, change }); return }
        // Not kept: once stored, a store that copied it leaves the buffer to the writer again.
        if (this.#storeCopies) for (const s of [...stored, { change }]) writer.recycle(s.change)
        stored = []
      }, now)
      if (size > APPLY_AT_MOST) this.#drop(name)
      else {
        // Yjs takes our own structs arriving on a doc under our clientID for another writer
        // using it, and says so: the copy gets an id of its own (writeAs sets it back to write).
        if (open.doc.clientID === clientIdOf(author.peerId)) open.doc.clientID = randomInt(2 ** 32 - 1)
        for (const { env, change } of stored) { applyUpdate(open.doc, change.update, 'log'); this.#applied(open, env, change.deleted) }
        if (due(open, false)) await this.#checkpoint(name, open)
      }
      return bytes
    })
  }

  /** The doc, fully loaded, for its single writer. */
  async #openToWrite(name: string, author: Author, policy: AppendPolicy): Promise<OpenDoc> {
    if (!mayWrite(name, author.peerId, policy.rights)) throw new EnvelopeError('wrong-author', `${author.peerId} may not write ${name}`)
    return this.#materialize(name)
  }

  /** Signs and stores the author's changes (sign-pipeline.ts); on failure the doc is dropped, as its copy may hold what the store does not. */
  async #signAndStore(name: string, author: Author, changes: Iterator<Change>, stored: (env: Envelope, change: Change) => void, now: number): Promise<number> {
    try {
      return await signAndStore({
        name, author, now, changes, stored, head: await this.head(name, author.peerId),
        entries: entriesOf, write: (ops) => this.#db.batch(ops),
      })
    } catch (err) {
      this.#drop(name)
      throw err
    }
  }

  async #checkpoint(name: string, open: OpenDoc): Promise<void> {
    if (open.pending === 0) return
    await this.#db.put(stateKey(name), checkpointOf(open))
    checkpointed(open)
  }

  /** Checkpoints (where one pays) and releases docs unused for `idleMs`: memory follows what is in use, not what is stored. */
  releaseIdle(idleMs: number): Promise<number> {
    return this.#serially(async () => {
      let released = 0
      for (const [name, open] of [...this.#open]) {
        if (Date.now() - open.usedAt < idleMs) continue
        if (due(open, true)) await this.#checkpoint(name, open)
        this.#drop(name)
        released++
      }
      return released
    })
  }

  /** Writes a checkpoint for every open doc whose tail has grown enough to pay for one (on close). */
  checkpointAll(): Promise<void> {
    return this.#serially(async () => { for (const [name, open] of this.#open) if (due(open, true)) await this.#checkpoint(name, open) })
  }

  /** The doc as the log has it: checkpoint plus later envelopes (kept open; least recently used released). */
  async #materialize(name: string, staged?: ReadonlyMap<string, OpenDoc>): Promise<OpenDoc> {
    const hit = this.#open.get(name)
    if (hit) { this.#open.delete(name); this.#open.set(name, hit); hit.usedAt = Date.now(); return hit }
    const doc = new Y.Doc()
    const raw = await this.#db.get(stateKey(name))
    const ckpt = raw ? (unpack(raw) as Checkpoint) : { update: undefined, upTo: {} as Record<string, number> }
    const strings = stringTable()
    if (ckpt.update) applyUpdate(doc, ckpt.update, undefined, strings)
    const upTo = { ...ckpt.upTo }
    const open: OpenDoc = { doc, upTo, pending: 0, overwriteBytes: 0, usedAt: Date.now() }
    for await (const key of this.#db.keys(headRange(name))) {
      const { author } = ofHeadKey(key)
      for await (const bytes of this.read(name, author, (upTo[author] ?? 0) + 1)) {
        // Verified when stored: read back without the receiver's checks and copies.
        const env = storedEnvelope(bytes)
        this.#applied(open, env, applyCounting(doc, env.payload, undefined, strings))
      }
    }
    this.#open.set(name, open)
    // Least recently used first; a doc with changes staged for a batch stays until it is committed.
    for (const [oldest, o] of this.#open) {
      if (this.#open.size <= this.#maxOpen) break
      if (oldest === name || staged?.has(oldest)) continue
      if (due(o, true)) await this.#checkpoint(oldest, o)
      this.#drop(oldest)
    }
    return open
  }

  /** The materialized doc itself, for reading only (never write to it: it is the log's). */
  doc(name: string): Promise<Y.Doc | undefined> {
    // Through the same queue as appends: a doc is materialized by one caller at a time.
    return this.#serially(async () => (await this.#held(name))?.doc)
  }

  /** The doc's state as one Yjs update, or undefined when the log holds nothing of it. */
  state(doc: string): Promise<Uint8Array | undefined> {
    return this.#serially(async () => { const open = await this.#held(doc); return open && Y.encodeStateAsUpdate(open.doc) })
  }

  /** The doc materialized, or undefined when the log holds nothing of it. */
  async #held(name: string): Promise<OpenDoc | undefined> {
    if (this.#open.has(name) || (await this.#db.keys({ ...headRange(name), limit: 1 }).all()).length > 0) return this.#materialize(name)
  }

  #serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn)
    this.#queue = run.catch(() => {})
    return run
  }

  /** Envelopes of one author on one doc, in seq order, from `fromSeq` (inclusive). */
  async *read(doc: string, author: string, fromSeq = 1, toSeq = Number.MAX_SAFE_INTEGER): AsyncGenerator<Uint8Array> {
    yield* this.#db.values(envRange(doc, author, fromSeq, toSeq))
  }

  /** As `read`, with each envelope's seq (from its key: no decoding), for senders that track them. */
  async *readSeqs(doc: string, author: string, fromSeq = 1, toSeq = Number.MAX_SAFE_INTEGER): AsyncGenerator<[number, Uint8Array]> {
    for await (const [key, value] of this.#db.iterator(envRange(doc, author, fromSeq, toSeq))) {
      yield [Number(key.slice(-SEQ_WIDTH)), value]
    }
  }

  /** {doc → {author → highest seq}} of everything held. */
  async haveVector(): Promise<HaveVector> {
    const out: HaveVector = {}
    for await (const [key, value] of this.#db.iterator({ gte: 'head!', lt: 'head"' })) {
      const { doc, author } = ofHeadKey(key)
      ;(out[doc] ??= {})[author] = (unpack(value) as ChainHead).seq
    }
    return out
  }

  /**
   * Compaction: appends a snapshot of the doc (built and signed by its single writer) and
   * then drops that author's envelopes before it. A replica holding the snapshot needs
   * nothing earlier; a crash between the two steps leaves a longer log, still valid.
   */
  async compact(name: string, build: (state: Uint8Array, head: ChainHead) => Envelope, policy: AppendPolicy): Promise<{ removed: number } | undefined> {
    const state = await this.state(name)
    const env = await this.#serially(async () => {
      const heads = await this.#db.keys(headRange(name)).all()
      if (heads.length !== 1 || !state) return undefined // only single-writer docs compact
      const head = await this.head(name, ofHeadKey(heads[0]!).author)
      return head && head.seq > 1 ? build(state, head) : undefined
    })
    if (!env) return undefined
    if (await this.append(env, policy) !== 'stored') return undefined
    return this.#serially(async () => {
      const keys = await this.#db.keys({ gte: envKey(name, env.author, 1), lt: envKey(name, env.author, env.seq) }).all()
      for (let i = 0; i < keys.length; i += 1000) await this.#db.batch(keys.slice(i, i + 1000).map((key) => ({ type: 'del' as const, key })))
      return { removed: keys.length }
    })
  }

  /** Bytes held for a doc's envelopes (for `zt agent log` and the bench). */
  async sizeOf(doc: string): Promise<{ envelopes: number, bytes: number }> {
    const size = { envelopes: 0, bytes: 0 }
    for await (const v of this.#db.values({ gte: `env!${doc}!`, lt: `env!${doc}"` })) { size.envelopes++; size.bytes += v.length }
    return size
  }
}
