// Yjs v1 updates for Y.Map entry changes, written straight from the values: the bytes a
// transaction of Y.Map.set / Y.Map.delete calls on the same doc would produce, without
// building Items or running Yjs' encoder (whose per-string cost dominated a scan's write).
// The writer of a single-writer doc (its fixed clientID, its full state loaded) is the one
// user: every change then comes from that one client, and the doc itself is left as it was,
// so the caller applies the updates to it or lets it be materialized again from the log.
//
// The format (yjs src/utils/encoding.js, structs/Item.js, ContentAny): structs by client,
// each Item an info byte (content ref 8 | origin bit 0x80 | parentSub bit 0x20), then either
// its origin (the key's current item: client, clock) or the root map's name and the key, then
// ContentAny (length 1, lib0 writeAny of the value); after the structs the delete set (the
// overwritten or deleted items, per client descending, ranges sorted and merged).
// crdt/map-update.test.ts checks the bytes against Yjs' own for new entries, overwrites and deletions.
import * as Y from 'yjs'
import { Lib0Writer, readBack } from './lib0-writer.ts'

/**
 * A change to one Y.Map entry: `value` undefined deletes the key. With `also`, the value set
 * is the object `value` with `also`'s fields over it and every undefined field left out (see
 * entryValue), written without that object being built (a scan's findings each get their
 * firstSeen this way, not a copy each).
 */
export interface EntryChange { map: string, key: string, value: unknown, also?: Readonly<Record<string, unknown>> }

/** The value a change sets (undefined: it deletes), as an object when it has `also`. */
export function entryValue(change: EntryChange): unknown {
  const { value, also } = change
  if (also === undefined || value === undefined) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value as object)) if (v !== undefined && !Object.hasOwn(also, k)) out[k] = v
  for (const [k, v] of Object.entries(also)) if (v !== undefined) out[k] = v
  return out
}

/**
 * An update, whether it deleted anything (overwrites included), whether it was given room
 * around it (see `updates`), and the changes that set a value, in the order its items hold
 * them (for the writer to apply it without reading the values back: lib0-reader.ts' applyOwnUpdate).
 */
export interface EncodedChange { update: Uint8Array, deleted: boolean, room?: true, sets: EntryChange[] }

/** The value an item of the update holds for this change, as reading the update back gives it (a fresh copy). */
export function writtenValue(change: EntryChange): unknown {
  return readBack(change.value, change.also as Record<string, unknown> | undefined)
}

const ANY = 8
const HAS_ORIGIN = 0x80
const HAS_PARENT_SUB = 0x20
/** Room before an update's structs for their header (count, client, clock: at most 19 bytes as varuints). */
const HEADER_ROOM = 24

/** What Yjs' typeMapSet stores as ContentAny: JSON-like values (others take other content types: not written here). */
function checkValue(v: unknown, key: string): void {
  if (v === null || typeof v !== 'object') return
  const c = (v as object).constructor
  if (c !== Object && c !== Array && c !== Date) throw new TypeError(`entry ${key}: only JSON-like values can be written as map entries, not ${c?.name ?? 'a null-prototype object'}`)
}

/**
 * Encodes successive transactions of entry changes by `client` on `doc`. The doc is read (its
 * clock for the client, each key's current item) and never changed, so a series of updates
 * can be written before (or without) applying any of it: for that, a key appears at most once
 * in a series (a second change would need the first one's item as its origin; given one
 * anyway, every replica keeps the first value alike: no divergence, only the wrong winner). The callers'
 * change lists are diffs with one entry per key (crdt/scan-docs.ts), so nothing is tracked
 * per key here: a scan of 100,000 findings would pay for that map on every write.
 */
export class MapUpdateWriter {
  readonly #doc: Y.Doc
  readonly #client: number
  #clock: number
  readonly #out = new Lib0Writer(1024 * 1024)
  readonly #header = new Lib0Writer(32)

  constructor(doc: Y.Doc, client: number) {
    this.#doc = doc
    this.#client = client
    this.#clock = Y.getState(doc.store, client)
  }

  /** The clock the next item gets (the client's state after everything encoded). */
  get clock(): number { return this.#clock }

  /**
   * Takes back the buffer of an update `updates` gave with room, to write a later one in:
   * only once nothing reads it, nor the envelope built in it (stored by a store that copies).
   */
  recycle(change: EncodedChange): void {
    if (change.room) this.#out.give(change.update.buffer as ArrayBuffer)
  }

  /** One transaction's update for these changes, or undefined when it changes nothing. */
  encode(changes: Iterable<EntryChange>): EncodedChange | undefined {
    return this.updates(changes, Infinity).next().value
  }

  /**
   * The changes as transactions of about `maxBytes` each (cut after the change that reaches
   * it), taken from the iterable as they are encoded: a scan's diff feeds this directly, with
   * no lists of changes in between. Changes that change nothing (deleting what is not held)
   * make no update. With `room`, each update is a view of a buffer of its own with that much
   * free space around it, for its envelope to be built there (protocol's envelopeFrame).
   * Each update lists the changes it sets (`sets`) while the updates so far hold at most
   * `keepSetsUpTo` bytes, and none after: a caller that applies only a small write holds
   * on to no change of a large one (100,000 of them would outlive their encoding).
   */
  *updates(changes: Iterable<EntryChange>, maxBytes: number, room?: { before: number, after: number }, keepSetsUpTo = Infinity): Generator<EncodedChange, undefined> {
    const out = this.#out
    let deletes = new Map<number, [number, number][]>()
    let sets = 0
    let written: EntryChange[] = []
    let encoded = 0
    let first = this.#clock
    // Where the structs start: after the room asked for (taken with the update, see Lib0Writer.take) and their header's.
    const start = (room?.before ?? 0) + HEADER_ROOM
    const del = (item: Y.Item) => {
      if (item.deleted) return
      const ranges = deletes.get(item.id.client)
      if (ranges) ranges.push([item.id.clock, item.length])
      else deletes.set(item.id.client, [[item.id.clock, item.length]])
    }
    const finish = (): EncodedChange => {
      // The structs' header goes before them, into the room left for it: only now is their number known.
      const header = this.#header
      if (sets === 0) header.varUint(0)
      else { header.varUint(1); header.varUint(sets); header.varUint(this.#client); header.varUint(first) }
      const head = header.take()
      out.putAt(start - head.length, head)
      writeDeleteSet(out, deletes)
      const change: EncodedChange = { update: out.take(start - head.length, room), deleted: deletes.size > 0, sets: written }
      if (room) change.room = true
      encoded += change.update.length
      deletes = new Map()
      sets = 0
      written = []
      first = this.#clock
      out.startAt(start)
      return change
    }
    let type: Y.AbstractType<Y.YEvent<any>> | undefined
    let typeName: string | undefined
    // A map holding nothing yet (a first scan) is not asked about each key: hashing 100,000 fresh ids costs.
    let holds = false
    out.startAt(start)
    for (const change of changes) {
      const { map, key, value, also } = change
      if (map !== typeName) { typeName = map; type = this.#doc.share.get(map); holds = type !== undefined && type._map.size > 0 }
      const held = holds ? type!._map.get(key) : undefined
      if (value === undefined) {
        if (held) del(held)
      } else {
        checkValue(value, key)
        if (also !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) throw new TypeError(`entry ${key}: \`also\` needs an object value`)
        if (held) {
          out.byte(ANY | HAS_ORIGIN | HAS_PARENT_SUB)
          out.varUint(held.id.client)
          out.varUint(held.id.clock + held.length - 1)
          del(held)
        } else {
          out.byte(ANY | HAS_PARENT_SUB)
          out.varUint(1) // parent is a root type, named by its key
          out.string(map)
          out.string(key)
        }
        out.varUint(1)
        if (also === undefined) out.any(value)
        else out.object(value as Record<string, unknown>, also as Record<string, unknown>)
        this.#clock++
        sets++
        if (encoded <= keepSetsUpTo) written.push(change)
      }
      if (out.length >= maxBytes + start) yield finish()
    }
    if (sets > 0 || deletes.size > 0) yield finish()
    return undefined
  }
}

/** Yjs' writeDeleteSet after sortAndMergeDeleteSet: clients descending, ranges by clock, touching ones merged. */
function writeDeleteSet(out: Lib0Writer, deletes: Map<number, [number, number][]>): void {
  out.varUint(deletes.size)
  for (const client of [...deletes.keys()].sort((a, b) => b - a)) {
    const ranges = deletes.get(client)!.sort((a, b) => a[0] - b[0])
    const merged: [number, number][] = []
    for (const r of ranges) {
      const last = merged[merged.length - 1]
      if (last && last[0] + last[1] >= r[0]) last[1] = Math.max(last[1], r[0] + r[1] - last[0])
      else merged.push([r[0], r[1]])
    }
    out.varUint(client)
    out.varUint(merged.length)
    for (const [clock, len] of merged) { out.varUint(clock); out.varUint(len) }
  }
}
