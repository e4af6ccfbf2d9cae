// The single writer's changes into signed, stored envelopes, with its three kinds of work
// overlapping: this thread computes the next changes (encoding a scan's entries), the thread
// pool hashes each envelope's body (then signing and chaining it is a few dozen bytes here,
// one at a time: each envelope names the hash of the one before) and LevelDB writes. What
// has been signed while a batch was being written goes into the next batch, in
// seq order with its author's chain head, so the store only ever holds a chain without gaps
// and a crash loses at most the envelopes not yet written (a scan then writes them again).
import type { Change } from './author-doc.ts'
import { buildEnvelopeAsync, hashOf, type Author, type ChainHead } from './envelope.ts'
import type { Envelope } from '../protocol/index.ts'

/** Changes computed ahead of the signer at most: bounds what waits in memory. */
const AHEAD = 8

export interface SignAndStore<C extends Change = Change> {
  name: string
  author: Author
  /** The author's chain head on the doc before these changes. */
  head: ChainHead | undefined
  now: number
  /** Computed lazily, one per envelope, on this thread while earlier ones are signed and written. */
  changes: Iterator<C>
  /** The store's entries for envelopes in seq order (each envelope, the last one's chain head). */
  entries: (envs: Envelope[], head: ChainHead) => { type: 'put', key: string, value: Uint8Array }[]
  write: (ops: { type: 'put', key: string, value: Uint8Array }[]) => Promise<void>
  /** Hears of each envelope once its batch is written, in seq order. */
  stored: (env: Envelope, change: C) => void
}

/** Runs the pipeline; the bytes of the envelopes stored. Rejects with the first failure, after any batch in flight has settled. */
export async function signAndStore<C extends Change>(p: SignAndStore<C>): Promise<number> {
  let head = p.head
  let bytes = 0
  let failure: { err: unknown } | undefined
  const fail = (err: unknown) => { failure ??= { err } }

  const toSign: C[] = []
  let produced = false
  let signerWaits: (() => void) | undefined
  let producerWaits: (() => void) | undefined
  const toStore: { env: Envelope, change: C, head: ChainHead }[] = []
  let writing: Promise<void> | undefined

  const writeSigned = async (): Promise<void> => {
    while (toStore.length > 0 && !failure) {
      const batch = toStore.splice(0)
      await p.write(p.entries(batch.map((s) => s.env), batch[batch.length - 1]!.head))
      for (const { env, change } of batch) { bytes += env.bytes.length; p.stored(env, change) }
    }
  }

  const signer = (async () => {
    while (!failure) {
      const change = toSign.shift()
      if (!change) {
        if (produced) return
        await new Promise<void>((resolve) => { signerWaits = resolve })
        continue
      }
      producerWaits?.()
      const env = await buildEnvelopeAsync(p.author, p.name, 'yjs', change.update, head, p.now, change.room === true)
      // From the body's digest the pool computed: no second pass over the bytes.
      head = { seq: env.seq, hash: hashOf(env) }
      toStore.push({ env, change, head })
      // One batch in flight: LevelDB gets them in seq order.
      writing ??= writeSigned().catch(fail).finally(() => { writing = undefined })
    }
  })().catch(fail).finally(() => producerWaits?.())

  const wakeSigner = () => { const w = signerWaits; signerWaits = undefined; w?.() }
  try {
    for (let next = p.changes.next(); !next.done && !failure; next = p.changes.next()) {
      toSign.push(next.value)
      wakeSigner()
      // Back to the event loop between changes: a signature or a batch that is done is
      // taken up at once, not after every change has been computed.
      if (toSign.length >= AHEAD) await new Promise<void>((resolve) => { producerWaits = resolve })
      else await new Promise<void>((resolve) => setImmediate(resolve))
    }
  } catch (err) {
    fail(err)
  }
  produced = true
  wakeSigner()
  await signer
  while (writing) await writing
  if (!failure && toStore.length > 0) await writeSigned().catch(fail)
  if (failure) throw failure.err
  return bytes
}
