// Envelopes a log has stored but not yet applied to their docs. A hub acks an envelope once
// it is verified and stored, and applies it behind (envelope-log.ts, `applyBehind`): applying
// a Yjs update was half of the hub's time to ack (bench:sync, 100,000 findings), and nothing
// the ack promises hangs on it. Entries wait per doc in the order they were stored, the doc
// stored first applied first, one envelope a turn, taken while no append or read waits and
// no full envelope (a large write streaming in) came in the last STREAMING_MS; bounded in
// bytes and docs, past which an append applies first. A reader of a doc gets it with all its
// entries applied.
import type * as Y from 'yjs'
import type { Envelope } from '../protocol/index.ts'
import { envKey, envRange, headEntry, headKey, storedEnvelope, type LogOp } from './log-layout.ts'
import { hashOf } from './envelope.ts'
import type { Store } from './envelope-log.ts'
import type { EnvelopeError } from './errors.ts'
import { applyCounting, doesNotApply, type OpenDoc } from './open-doc.ts'

/** Payload bytes left waiting by default: one agent's first scan of 100,000 findings (~32 MB). */
const AT_MOST_BYTES = 32 * 1024 * 1024
/** Docs left waiting by default. */
const AT_MOST_DOCS = 4
/** How soon to look again while envelopes stream in. */
const BUSY_RETRY_MS = 25
/**
 * How long after a full envelope (one of a large write: a writer cuts those into envelopes of
 * ~1 MiB, BYTES_PER_ENVELOPE) envelopes count as streaming in. A write of a few thousand
 * findings comes as one smaller envelope, and is applied right after its ack, before its
 * agent's next one arrives: held back too, such envelopes piled up while an agent wrote round
 * after round, for a reader to apply all at once.
 */
const STREAMING_MS = 150

export interface BehindOptions {
  /**
   * What may wait at most: payload bytes (default 32 MiB) and docs (default 4); past either,
   * an append applies first. Applying behind pays where one doc's envelopes stream in (an
   * agent's first scan); hundreds of agents at once, each a doc, would only be held longer.
   */
  behindAtMostBytes?: number
  behindAtMostDocs?: number
  /** Envelopes at least this large are full ones (see STREAMING_MS); none, without. */
  fullBytes?: number
  /** While this says so, nothing is applied behind but what the bounds call for (default: while full envelopes stream in). */
  busy?: () => boolean
  /** Told of a stored envelope that would not apply, once it is taken out again (`unstore`). */
  onApplyFailed?: (env: Envelope, err: EnvelopeError) => void
}

/** What applying behind needs of its log. */
export interface BehindLog {
  db: Store
  /** The doc materialized from the log up to what waits (`waitingFrom`). */
  materialize(name: string): Promise<OpenDoc>
  /** Records an envelope applied to the open doc (and checkpoints it when due). */
  applied(name: string, open: OpenDoc, env: Envelope, overwrote: boolean): Promise<void>
  /** Forgets the open doc (its copy may hold part of an update that failed). */
  drop(name: string): void
  /** Runs `fn` in the log's turn, after every call queued before it. */
  serially<T>(fn: () => Promise<T>): Promise<T>
  /** Calls queued or running in the log's turns. */
  waiting(): number
}

export class ApplyBehind {
  readonly #log: BehindLog
  readonly #queue = new BehindQueue()
  readonly #atMostBytes: number
  readonly #atMostDocs: number
  readonly #busy: () => boolean
  readonly #fullBytes: number
  /** When the last full envelope was pushed. */
  #fullAt = 0
  readonly #onFailed: BehindOptions['onApplyFailed']
  /** Whether a turn to apply is set. */
  #set = false

  constructor(log: BehindLog, opts: BehindOptions = {}) {
    this.#log = log
    this.#atMostBytes = opts.behindAtMostBytes ?? AT_MOST_BYTES
    this.#atMostDocs = opts.behindAtMostDocs ?? AT_MOST_DOCS
    this.#fullBytes = opts.fullBytes ?? Number.POSITIVE_INFINITY
    this.#busy = opts.busy ?? (() => Date.now() - this.#fullAt < STREAMING_MS)
    this.#onFailed = opts.onApplyFailed
  }

  /** Envelopes just stored, to be applied in this order. */
  push(entries: Behind[]): void {
    this.#queue.push(entries)
    if (entries.some((e) => e.env.bytes.length >= this.#fullBytes)) this.#fullAt = Date.now()
    this.schedule()
  }

  waitingFrom(doc: string): Map<string, number> | undefined {
    return this.#queue.waitingFrom(doc)
  }

  /** Sets a turn to apply the next waiting envelope, once nothing else waits its turn (and I/O had its chance). */
  schedule(): void {
    if (this.#queue.empty || this.#set || this.#log.waiting() > 0) return
    this.#set = true
    const turn = () => {
      this.#set = false
      if (this.#log.waiting() > 0 || this.#queue.empty) return
      if (this.#busy()) { this.#set = true; setTimeout(turn, BUSY_RETRY_MS).unref(); return }
      this.#log.serially(() => this.#applyNext()).catch(() => { /* a store failure: the next append or read meets it */ })
    }
    setImmediate(turn)
  }

  /** Before an append (in the log's turn): applies what waits beyond the bounds. */
  async keepUp(): Promise<void> {
    while (this.#queue.bytes > this.#atMostBytes || this.#queue.docs > this.#atMostDocs) await this.#applyNext()
  }

  /** Applies everything waiting (in the log's turn: on close). */
  async applyAll(): Promise<void> {
    while (!this.#queue.empty) await this.#applyNext()
  }

  /** The doc with (up to `limit` of) the envelopes waiting for it applied (in the log's turn). */
  async current(name: string, limit = Number.POSITIVE_INFINITY): Promise<OpenDoc> {
    let open = await this.#log.materialize(name)
    for (let n = 0; n < limit; n++) {
      const next = this.#queue.shift(name)
      if (!next) break
      if (!await this.#apply(name, open, next)) open = await this.#log.materialize(name)
    }
    return open
  }

  async #applyNext(): Promise<void> {
    const name = this.#queue.firstDoc()
    if (name !== undefined) await this.current(name, 1)
  }

  /** Applies a stored envelope that waited; one that does not apply is taken out of the log again (false). */
  async #apply(name: string, open: OpenDoc, { env, observe }: Behind): Promise<boolean> {
    if (env.seq <= (open.upTo[env.author] ?? 0)) return true
    let applied: ReturnType<typeof applyCounting>
    try {
      applied = applyCounting(open.doc, env.payload, { keys: observe !== undefined })
    } catch (err) {
      this.#log.drop(name)
      this.#queue.drop(name, env.author)
      await unstore(this.#log.db, env)
      this.#onFailed?.(env, doesNotApply(env, err))
      return false
    }
    await this.#log.applied(name, open, env, applied.overwrote)
    observe?.(open.doc, applied.changed ?? new Map())
    return true
  }
}

/** An envelope waiting to be applied, with whoever indexes its doc. */
export interface Behind { env: Envelope, observe?: (doc: Y.Doc, changed: Map<string, Set<string>>) => void }

class BehindQueue {
  readonly #docs = new Map<string, Behind[]>()
  /** Payload bytes waiting: the memory applying behind holds. */
  bytes = 0

  get empty(): boolean {
    return this.#docs.size === 0
  }

  /** Docs with entries waiting. */
  get docs(): number {
    return this.#docs.size
  }

  push(entries: Behind[]): void {
    for (const e of entries) {
      const list = this.#docs.get(e.env.doc)
      if (list) list.push(e)
      else this.#docs.set(e.env.doc, [e])
      this.bytes += e.env.payload.length
    }
  }

  /** The doc with the oldest waiting entry. */
  firstDoc(): string | undefined {
    for (const doc of this.#docs.keys()) return doc
    return undefined
  }

  /** Takes the doc's oldest entry out. */
  shift(doc: string): Behind | undefined {
    const list = this.#docs.get(doc)
    const e = list?.shift()
    if (!e) return undefined
    this.bytes -= e.env.payload.length
    if (list!.length === 0) this.#docs.delete(doc)
    return e
  }

  /** For each author with entries of this doc waiting, the seq of the first: a doc is materialized from the log up to there. */
  waitingFrom(doc: string): Map<string, number> | undefined {
    const list = this.#docs.get(doc)
    if (!list) return undefined
    const out = new Map<string, number>()
    for (const { env } of list) if (!out.has(env.author)) out.set(env.author, env.seq)
    return out
  }

  /** Drops the doc's waiting entries of this author. */
  drop(doc: string, author: string): void {
    const list = this.#docs.get(doc)
    if (!list) return
    const kept = list.filter((e) => e.env.author !== author)
    for (const e of list) if (e.env.author === author) this.bytes -= e.env.payload.length
    if (kept.length === 0) this.#docs.delete(doc)
    else this.#docs.set(doc, kept)
  }
}

/**
 * Takes out of the log an envelope that was stored but does not apply, with everything its
 * author stored after it on that doc: the chain head goes back to the envelope before it, as
 * if they had never come (its author may send them again, and they are refused again). Yjs
 * reads every stored update (update-check.ts), but may still fail to integrate one crafted to
 * contradict the doc it lands on.
 */
export async function unstore(db: Store, env: Envelope): Promise<number> {
  const keys: string[] = []
  for await (const key of db.keys(envRange(env.doc, env.author, env.seq, Number.MAX_SAFE_INTEGER))) keys.push(key)
  const ops: LogOp[] = keys.map((key) => ({ type: 'del', key }))
  const before = env.seq > 1 ? await db.get(envKey(env.doc, env.author, env.seq - 1)) : undefined
  const prev = before && storedEnvelope(before)
  ops.push(prev ? headEntry(env.doc, env.author, { seq: prev.seq, hash: hashOf(prev) }) : { type: 'del', key: headKey(env.doc, env.author) })
  await db.batch(ops)
  return keys.length
}
