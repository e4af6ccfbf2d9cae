// A single-writer doc on its author's side: fixed clientID, full state loaded before any
// write, and each change captured as the delta update an envelope carries.
import * as Y from 'yjs'
import { clientIdOf } from './client-id.ts'

export function openAuthorDoc(author: string, state?: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  // The state first, the clientID after: Yjs gives a doc a fresh clientID when a remote
  // update touches its own, which loading our own history would otherwise look like.
  if (state) Y.applyUpdate(doc, state)
  doc.clientID = clientIdOf(author)
  return doc
}

/** Runs the change in one transaction; the update it produced, or undefined when nothing changed. */
export function deltaOf(doc: Y.Doc, change: () => void): Uint8Array | undefined {
  const before = Y.encodeStateVector(doc)
  doc.transact(change)
  const after = Y.encodeStateVector(doc)
  if (after.length === before.length && after.every((b, i) => b === before[i])) return undefined
  return Y.encodeStateAsUpdate(doc, before)
}
