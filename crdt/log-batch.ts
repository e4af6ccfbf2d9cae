// What one append (or appendMany) of the envelope log stages before it commits: the entries
// of each envelope that verified, the chain heads later ones extend, the docs they were
// applied to (or the envelopes to apply behind), and who observes them once stored.
import type * as Y from 'yjs'
import type { Envelope } from '../protocol/index.ts'
import type { WriteRights } from './doc-names.ts'
import { hashOf, type ChainHead } from './envelope.ts'
import { entriesOf, envKey } from './log-layout.ts'
import type { OpenDoc } from './open-doc.ts'
import type { Behind } from './apply-behind.ts'

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

/** Envelopes verified (and applied, unless applied behind), not yet stored: their entries, and what later ones must see. */
export interface Batch {
  ops: { type: 'put', key: string, value: Uint8Array }[]
  heads: Map<string, ChainHead>
  envelopes: Map<string, Uint8Array>
  docs: Map<string, OpenDoc>
  applied: { open: OpenDoc, env: Envelope, overwrote: boolean, changed?: Map<string, Set<string>>, observe?: AppendPolicy['observe'] }[]
  /** Verified, to be applied once stored (applyBehind). */
  later: Behind[]
}

export const newBatch = (): Batch => ({ ops: [], heads: new Map(), envelopes: new Map(), docs: new Map(), applied: [], later: [] })

/** Adds a verified envelope to the batch: its entries, and the chain head later ones extend. */
export function chainOn(batch: Batch, chain: string, env: Envelope): void {
  const next = { seq: env.seq, hash: hashOf(env) }
  batch.heads.set(chain, next)
  batch.envelopes.set(envKey(env.doc, env.author, env.seq), env.bytes)
  batch.ops.push(...entriesOf([env], next))
}
