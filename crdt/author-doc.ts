// A single-writer doc on its author's side: fixed clientID, full state loaded before any
// write, and each change captured as the delta update an envelope carries.
import * as Y from 'yjs'
import { clientIdOf } from './client-id.ts'
import { applyUpdate } from './lib0-reader.ts'

export function openAuthorDoc(author: string, state?: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  // The state first, the clientID after: Yjs gives a doc a fresh clientID when a remote
  // update touches its own, which loading our own history would otherwise look like.
  if (state) applyUpdate(doc, state)
  doc.clientID = clientIdOf(author)
  return doc
}

/** Runs the change in one transaction; the update it produced, or undefined when nothing changed. */
export function deltaOf(doc: Y.Doc, change: () => void): Uint8Array | undefined {
  return changeOf(doc, change)?.update
}

/**
 * What one transaction changed: its update, and whether it deleted anything (overwrites
 * included); `room` when the update's buffer has room for its envelope around it (map-update.ts).
 */
export interface Change { update: Uint8Array, deleted: boolean, room?: true }

/**
 * Runs the change in one transaction and takes the update Yjs builds from that transaction
 * itself (its new structs and its own deletions). Diffing state vectors instead encodes the
 * doc's whole delete set into every update: a cost that grows with the doc.
 */
export function changeOf(doc: Y.Doc, change: () => void): Change | undefined {
  // Inside an outer transaction the update would come only when that one ends, merged with it.
  if (doc._transaction !== null) throw new Error('changeOf runs its own transaction: call it outside doc.transact')
  let out: Change | undefined
  const onUpdate = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => { out = { update, deleted: tr.deleteSet.clients.size > 0 } }
  doc.on('update', onUpdate)
  try {
    doc.transact(change)
  } finally {
    doc.off('update', onUpdate)
  }
  return out
}
