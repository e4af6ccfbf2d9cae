// A single-writer doc uses one fixed Yjs clientID derived from its author's key, so the
// struct store does not grow a new client on every restart (DESIGN.md "Data model").
import { createHash } from 'node:crypto'

/** A stable 31-bit clientID for an author (a positive Smi, as Yjs prefers). */
export function clientIdOf(author: string): number {
  return createHash('sha256').update(author).digest().readUInt32BE(0) >>> 1
}
