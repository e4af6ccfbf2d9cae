// The envelope log: every envelope as it arrived, keyed env!<doc>!<author>!<seq>, with each
// author's chain head, committed in one atomic batch per envelope (or per appendMany call).
// A doc's state is the envelopes' payloads applied in order; a checkpoint (state!<doc>: the
// state plus the seq of each author it covers) is written where it pays (see `due` in open-doc.ts), so
// materializing a doc is the checkpoint plus the envelopes after it. Any replica can hand
// its envelopes on unchanged; nothing is stored or applied before it verifies.
import { randomInt } from 'node:crypto'
import type { AbstractLevel } from 'abstract-level'
import * as Y from 'yjs'
import { FRAME_ROOM_AFTER, FRAME_ROOM_BEFORE, unpack, type Envelope } from '../protocol/index.ts'
import { mayWrite } from './doc-names.ts'
import { checkpointEntries, entriesOf, envKey, envRange, haveVectorOf, headKey, headRange, ofHeadKey, SEQ_WIDTH, sizeOfDoc, type HaveVector } from './log-layout.ts'
import { changeOf, type Change } from './author-doc.ts'
import { clientIdOf } from './client-id.ts'
import { checkSignature, openEnvelope, placeOnChain, type Author, type ChainHead } from './envelope.ts'
import { EnvelopeError } from './errors.ts'
import { MapUpdateWriter, type EncodedChange, type EntryChange } from './map-update.ts'
import { applyCounting, applyOwn, checkpointed, checkpointOf, doesNotApply, due, loadDoc, noteApplied, type OpenDoc } from './open-doc.ts'
import { signAndStore } from './sign-pipeline.ts'
import { checkUpdate } from './update-check.ts'
import { ApplyBehind, type BehindOptions } from './apply-behind.ts'
import { chainOn, newBatch, type AppendPolicy, type AppendResult, type Batch } from './log-batch.ts'

export type Store = AbstractLevel<string | Uint8Array, string, Uint8Array>

export type { AppendPolicy, AppendResult } from './log-batch.ts'
export type { HaveVector } from './log-layout.ts'

/** Updates of one writeEntries call up to this size are applied to the open doc; larger ones drop it (see writeEntries). */
const APPLY_AT_MOST = 1024 * 1024
/** A writer's envelopes carry about this much: far below the protocol's 4 MiB limit, and a peer acks each. */
export const BYTES_PER_ENVELOPE = 1024 * 1024

export interface EnvelopeLogOptions extends BehindOptions {
  /** Docs kept materialized at most (least recently used released first). */
  maxOpenDocs?: number
  /** The store copies a batch's values (classic-level does; memory-level keeps the views): a writer may reuse their buffers once stored. */
  storeCopies?: boolean
  /**
   * Store a received envelope once it verifies and its update reads as Yjs would read it
   * (update-check.ts), and apply it to its doc afterwards (apply-behind.ts): what a hub
   * does, so an ack waits for verification and the store alone. Readers of a doc get it
   * with everything stored applied.
   */
  applyBehind?: boolean
}

export class EnvelopeLog {
  readonly #db: Store
  /** Docs materialized in memory, least recently used first. */
  readonly #open = new Map<string, OpenDoc>()
  readonly #maxOpen: number
  /** Appends run one at a time: each reads the head it extends. */
  #queue: Promise<unknown> = Promise.resolve()
  /** Calls queued or running in `#serially`. */
  #waiting = 0
  /** Envelopes stored, to be applied (applyBehind). */
  readonly #behind: ApplyBehind | undefined

  readonly #storeCopies: boolean

  constructor(db: Store, opts: EnvelopeLogOptions = {}) {
    this.#db = db
    this.#maxOpen = opts.maxOpenDocs ?? 64
    this.#storeCopies = opts.storeCopies ?? false
    this.#behind = opts.applyBehind
      ? new ApplyBehind({
        db, materialize: (name) => this.#materialize(name), drop: (name) => this.#drop(name), serially: (fn) => this.#serially(fn), waiting: () => this.#waiting,
        applied: async (name, open, env, overwrote) => { noteApplied(open, env, overwrote); if (due(open, false)) await this.#checkpoint(name, open) },
      }, { fullBytes: BYTES_PER_ENVELOPE / 2, ...opts })
      : undefined
  }

  async head(doc: string, author: string): Promise<ChainHead | undefined> {
    const v = await this.#db.get(headKey(doc, author))
    return v === undefined ? undefined : (unpack(v) as ChainHead)
  }

  /** Verifies and stores an envelope (bytes from anywhere, or one just built). */
  append(input: Uint8Array | Envelope, policy: AppendPolicy): Promise<AppendResult> {
    return this.#serially(async () => {
      await this.#behind?.keepUp()
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
      await this.#behind?.keepUp()
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
    if (this.#behind) {
      try {
        checkUpdate(env.payload)
      } catch (err) {
        throw new EnvelopeError('bad-payload', `${env.doc}#${env.seq}: the Yjs update does not read: ${(err as Error).message}`, { cause: err })
      }
      chainOn(batch, chain, env)
      batch.later.push({ env, observe: policy.observe })
      return 'stored'
    }
    const open = await this.#materialize(env.doc, batch.docs)
    const observe = policy.observe
    let applied: ReturnType<typeof applyCounting>
    try {
      applied = applyCounting(open.doc, env.payload, { keys: observe !== undefined })
    } catch (err) {
      this.#drop(env.doc)
      batch.docs.delete(env.doc)
      throw doesNotApply(env, err)
    }
    chainOn(batch, chain, env)
    batch.docs.set(env.doc, open)
    batch.applied.push({ open, env, ...applied, observe })
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
    if (batch.later.length > 0) this.#behind!.push(batch.later)
    for (const { open, env, overwrote } of batch.applied) noteApplied(open, env, overwrote)
    for (const [name, open] of batch.docs) if (this.#open.get(name) === open && due(open, false)) await this.#checkpoint(name, open)
    // Stored: now those who index the docs hear which keys each envelope changed.
    for (const { open, changed, observe } of batch.applied) observe?.(open.doc, changed ?? new Map())
  }

  #abort(batch: Batch): void {
    for (const name of batch.docs.keys()) this.#drop(name)
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
      })(), (env, change) => noteApplied(open, env, change.deleted), now)
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
      let stored: { env: Envelope, change: EncodedChange }[] = []
      let size = 0
      const updates = writer.updates(plan(open.doc), bytesPerEnvelope, { before: FRAME_ROOM_BEFORE, after: FRAME_ROOM_AFTER }, APPLY_AT_MOST)
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
        // Should that fail, the doc (only a copy) goes, to be materialized from the log on its next use.
        try { for (const { env, change } of stored) applyOwn(open, env, change) } catch (err) { this.#drop(name); throw err }
        if (due(open, false)) await this.#checkpoint(name, open)
      }
      return bytes
    })
  }

  /** The doc, fully loaded, for its single writer. */
  async #openToWrite(name: string, author: Author, policy: AppendPolicy): Promise<OpenDoc> {
    if (!mayWrite(name, author.peerId, policy.rights)) throw new EnvelopeError('wrong-author', `${author.peerId} may not write ${name}`)
    return this.#current(name)
  }

  /** Signs and stores the author's changes (sign-pipeline.ts); on failure the doc is dropped, as its copy may hold what the store does not. */
  async #signAndStore<C extends Change>(name: string, author: Author, changes: Iterator<C>, stored: (env: Envelope, change: C) => void, now: number): Promise<number> {
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
    await this.#db.batch(await checkpointEntries(this.#db, name, checkpointOf(open)))
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
    return this.#serially(async () => {
      await this.#behind?.applyAll()
      for (const [name, open] of this.#open) if (due(open, true)) await this.#checkpoint(name, open)
    })
  }

  /** The doc as the log has it: checkpoint plus later envelopes (kept open; least recently used released). */
  async #materialize(name: string, staged?: ReadonlyMap<string, OpenDoc>): Promise<OpenDoc> {
    const hit = this.#open.get(name)
    if (hit) { this.#open.delete(name); this.#open.set(name, hit); hit.usedAt = Date.now(); return hit }
    // Envelopes waiting to be applied behind are left to it: it tells their observers.
    const open = await loadDoc(this.#db, name, this.#behind?.waitingFrom(name))
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

  /**
   * The materialized doc itself, for reading only (never write to it: it is the log's).
   * `applied`: as far as it is applied, leaving what waits to be applied behind to its turn
   * (an observer reading what it was told of needs no more).
   */
  doc(name: string, opts: { applied?: boolean } = {}): Promise<Y.Doc | undefined> {
    // Through the same queue as appends: a doc is materialized by one caller at a time.
    return this.#serially(async () => (await this.#held(name, opts.applied))?.doc)
  }

  /** The doc's state as one Yjs update, or undefined when the log holds nothing of it. */
  state(doc: string): Promise<Uint8Array | undefined> {
    return this.#serially(async () => { const open = await this.#held(doc); return open && Y.encodeStateAsUpdate(open.doc) })
  }

  /** The doc with everything stored applied (or only what is: `applied`), or undefined when the log holds nothing of it. */
  async #held(name: string, applied = false): Promise<OpenDoc | undefined> {
    if (this.#open.has(name) || (await this.#db.keys({ ...headRange(name), limit: 1 }).all()).length > 0) return applied ? this.#materialize(name) : this.#current(name)
  }

  #serially<T>(fn: () => Promise<T>): Promise<T> {
    this.#waiting++
    const run = this.#queue.then(fn)
    this.#queue = run.catch(() => {}).then(() => { if (--this.#waiting === 0) this.#behind?.schedule() })
    return run
  }

  /** The doc with every envelope stored for it applied: what every reader and writer of a doc gets. */
  #current(name: string): Promise<OpenDoc> {
    return this.#behind ? this.#behind.current(name) : this.#materialize(name)
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
  haveVector(): Promise<HaveVector> {
    return haveVectorOf(this.#db)
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
  sizeOf(doc: string): Promise<{ envelopes: number, bytes: number }> {
    return sizeOfDoc(this.#db, doc)
  }
}
