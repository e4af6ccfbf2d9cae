// A doc the envelope log holds open: its Yjs doc and what it covers, how an update is applied
// to it (counting what it overwrote, reporting the keys it changed; its writer's own, with the
// values written), and when a checkpoint of it pays.
import * as Y from 'yjs'
import { pack, type Envelope } from '../protocol/index.ts'
import type { Store } from './envelope-log.ts'
import { applyOwnUpdate, applyUpdate, stringTable, type StringTable } from './lib0-reader.ts'
import { writtenValue, type EncodedChange } from './map-update.ts'
import { envRange, headRange, ofHeadKey, readCheckpoint, storedEnvelope } from './log-layout.ts'
import { EnvelopeError } from './errors.ts'

/**
 * When a checkpoint pays. Replaying an envelope that only added costs what loading the same
 * content from a checkpoint costs, so growth alone never calls for one (a first scan of
 * 100,000 findings would otherwise encode its whole state again, mid-write). What a
 * checkpoint saves is the per-envelope overhead of a long tail and the overwritten values
 * (Y.Map keeps them in updates; a state update holds only their tombstones). While writing,
 * a checkpoint is due after CHECKPOINT_EVERY envelopes or OVERWRITE_BYTES of updates that
 * overwrote or deleted; when idle or closing (nobody waits), after a quarter and a sixteenth.
 */
const CHECKPOINT_EVERY = 256

const OVERWRITE_BYTES = 16 * 1024 * 1024

export interface Checkpoint { update: Uint8Array, upTo: Record<string, number> }
export interface OpenDoc {
  doc: Y.Doc
  upTo: Record<string, number>
  /** Envelopes applied since the checkpoint, and payload bytes of those that overwrote or deleted. */
  pending: number
  overwriteBytes: number
  usedAt: number
}

/**
 * A doc as a log's store holds it: its checkpoint, then each author's envelopes after it, up
 * to (not including) the seq `before` names for the author, where it names one.
 */
export async function loadDoc(db: Store, name: string, before?: ReadonlyMap<string, number>): Promise<OpenDoc> {
  const doc = new Y.Doc()
  const ckpt = (await readCheckpoint(db, name) as Checkpoint | undefined) ?? { update: undefined, upTo: {} as Record<string, number> }
  const strings = stringTable(true)
  if (ckpt.update) applyUpdate(doc, ckpt.update, undefined, strings)
  const open: OpenDoc = { doc, upTo: { ...ckpt.upTo }, pending: 0, overwriteBytes: 0, usedAt: Date.now() }
  for await (const key of db.keys(headRange(name))) {
    const { author } = ofHeadKey(key)
    const to = before?.has(author) ? before.get(author)! - 1 : Number.MAX_SAFE_INTEGER
    for await (const bytes of db.values(envRange(name, author, (open.upTo[author] ?? 0) + 1, to))) {
      // Verified when stored: read back without the receiver's checks and copies.
      const env = storedEnvelope(bytes)
      noteApplied(open, env, applyCounting(doc, env.payload, { strings }).overwrote)
    }
  }
  return open
}

/** An envelope applied to the open doc: what it now covers, and what a checkpoint would save. */
export function noteApplied(open: OpenDoc, env: Envelope, overwrote: boolean): void {
  open.upTo[env.author] = env.seq
  open.pending++
  if (overwrote) open.overwriteBytes += env.payload.length
}

/**
 * An envelope its writer just stored, applied to the writer's open doc with the values it
 * wrote rather than read back from the update (lib0-reader.ts' applyOwnUpdate).
 */
export function applyOwn(open: OpenDoc, env: Envelope, change: EncodedChange): void {
  applyOwnUpdate(open.doc, change.update, change.sets.map(writtenValue), 'log')
  noteApplied(open, env, change.deleted)
}

/** The checkpoint of an open doc: its state as one update, and the seq of each author it covers. */
export function checkpointOf(open: OpenDoc): Uint8Array {
  return pack({ update: Y.encodeStateAsUpdate(open.doc), upTo: open.upTo } satisfies Checkpoint)
}

/** After its checkpoint is stored: nothing pending since. */
export function checkpointed(open: OpenDoc): void {
  open.pending = 0
  open.overwriteBytes = 0
}

export function due(open: OpenDoc, idle: boolean): boolean {
  return idle
    ? open.pending >= CHECKPOINT_EVERY / 4 || open.overwriteBytes >= OVERWRITE_BYTES / 16
    : open.pending >= CHECKPOINT_EVERY || open.overwriteBytes >= OVERWRITE_BYTES
}

/**
 * Applies an update: whether it overwrote or deleted anything, and with `keys` the keys it
 * changed per root map (for an observer, see changedKeys).
 */
export function applyCounting(doc: Y.Doc, update: Uint8Array, opts: { keys?: boolean, strings?: StringTable } = {}): { overwrote: boolean, changed?: Map<string, Set<string>> } {
  const out: { overwrote: boolean, changed?: Map<string, Set<string>> } = { overwrote: false }
  const onAfter = (tr: Y.Transaction) => {
    out.overwrote ||= tr.deleteSet.clients.size > 0
    if (opts.keys) out.changed = changedKeys(doc, tr)
  }
  doc.on('afterTransaction', onAfter)
  try {
    applyUpdate(doc, update, 'log', opts.strings)
  } finally {
    doc.off('afterTransaction', onAfter)
  }
  return out
}

/** The error for a stored or arriving envelope whose update Yjs cannot apply. */
export function doesNotApply(env: Envelope, cause: unknown): EnvelopeError {
  return new EnvelopeError('bad-payload', `${env.doc}#${env.seq}: the Yjs update does not apply`, { cause })
}

/** Keys a transaction changed, per root map name. */
function changedKeys(doc: Y.Doc, tr: Y.Transaction): Map<string, Set<string>> {
  const names = new Map<unknown, string>()
  for (const [name, type] of doc.share) names.set(type, name)
  const out = new Map<string, Set<string>>()
  for (const [type, subs] of tr.changed) {
    const name = names.get(type)
    if (name === undefined) continue
    const keys = out.get(name) ?? new Set<string>()
    for (const k of subs) if (k !== null) keys.add(k)
    out.set(name, keys)
  }
  return out
}
