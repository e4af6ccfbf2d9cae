// The advisory feed: a hub hands its advisory DB to agents as incremental updates, each an
// envelope of kind `advisories` on the pseudo-doc `advisories` (gzip of OSV JSON lines,
// at most one envelope's payload), signed by the hub and chained per hub like any author's
// envelopes. Sessions exchange it like a doc (have, the missing updates in order, acks), so
// it reaches agents through relays and survives restarts; nothing in it is applied as Yjs.
import { gunzipSync, gzipSync } from 'node:zlib'
import { buildEnvelope, checkSignature, hashOf, placeOnChain, type Author, type ChainHead } from '../crdt/index.ts'
import { MAX_PAYLOAD, pack, unpack, type Envelope } from '../protocol/index.ts'
import type { Store } from '../crdt/index.ts'
import { MeshError } from './errors.ts'

export const FEED_DOC = 'advisories'
/** Uncompressed JSON lines per update, so the gzip stays well under one payload. */
const CHUNK_BYTES = 16 * 1024 * 1024

const SEQ_WIDTH = 12
const entryKey = (hub: string, seq: number) => `e!${hub}!${String(seq).padStart(SEQ_WIDTH, '0')}`
const headKey = (hub: string) => `h!${hub}`

export class AdvisoryFeed {
  readonly #db: Store
  readonly #heads = new Map<string, ChainHead>()
  readonly #listeners = new Set<(env: Envelope) => void>()
  #queue: Promise<unknown> = Promise.resolve()

  private constructor(db: Store) {
    this.#db = db
  }

  static async open(db: Store): Promise<AdvisoryFeed> {
    const f = new AdvisoryFeed(db)
    for await (const [k, v] of db.iterator({ gte: 'h!', lt: 'h"' })) f.#heads.set(k.slice(2), unpack(v) as ChainHead)
    return f
  }

  /** {hub → highest seq held}. */
  heads(): Record<string, number> {
    return Object.fromEntries([...this.#heads].map(([hub, h]) => [hub, h.seq]))
  }

  async *read(hub: string, fromSeq: number, toSeq = Number.MAX_SAFE_INTEGER): AsyncGenerator<Uint8Array> {
    yield * this.#db.values({ gte: entryKey(hub, fromSeq), lte: entryKey(hub, Math.min(toSeq, 10 ** SEQ_WIDTH - 1)) })
  }

  #serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn)
    this.#queue = run.catch(() => {})
    return run
  }

  /**
   * Verifies and keeps an update; the caller has checked that its author is a hub of the
   * tenant. 'duplicate' when held already.
   */
  accept(env: Envelope): Promise<'stored' | 'duplicate'> {
    return this.#serially(async () => {
      if (env.kind !== 'advisories' || env.doc !== FEED_DOC) throw new MeshError('bad-update', `an advisory update is an envelope of kind advisories on doc ${FEED_DOC}`)
      checkSignature(env)
      const head = this.#heads.get(env.author)
      if (placeOnChain(env, head) === 'old') return 'duplicate'
      await this.#store(env)
      return 'stored'
    })
  }

  async #store(env: Envelope): Promise<void> {
    const head = { seq: env.seq, hash: hashOf(env) }
    await this.#db.batch([
      { type: 'put', key: entryKey(env.author, env.seq), value: env.bytes },
      { type: 'put', key: headKey(env.author), value: pack(head) },
    ])
    this.#heads.set(env.author, head)
    for (const fn of this.#listeners) fn(env)
  }

  /** A hub publishes OSV records (JSON texts): as few updates as fit, signed with its key. Returns how many. */
  publish(author: Author, records: string[], now = Date.now()): Promise<number> {
    return this.#serially(async () => {
      let made = 0
      let chunk: string[] = []
      let size = 0
      const flush = async () => {
        if (chunk.length === 0) return
        const payload = gzipSync(chunk.join('\n') + '\n', { level: 6 })
        if (payload.length > MAX_PAYLOAD) throw new MeshError('oversize', `an advisory update of ${payload.length} bytes compressed is over ${MAX_PAYLOAD}`)
        const env = buildEnvelope(author, FEED_DOC, 'advisories', payload, this.#heads.get(author.peerId), now)
        await this.#store(env)
        made++
        chunk = []
        size = 0
      }
      for (const r of records) {
        const line = r.includes('\n') ? JSON.stringify(JSON.parse(r)) : r
        if (size + line.length > CHUNK_BYTES) await flush()
        chunk.push(line)
        size += line.length + 1
      }
      await flush()
      return made
    })
  }

  onUpdate(fn: (env: Envelope) => void): () => void {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }
}

/** The OSV JSON lines an update carries. */
export function updateRecords(env: Envelope): string {
  try {
    return gunzipSync(env.payload, { maxOutputLength: 256 * 1024 * 1024 }).toString('utf8')
  } catch (err) {
    throw new MeshError('bad-update', `advisory update ${env.seq} of ${env.author} does not decompress`, { cause: err })
  }
}
