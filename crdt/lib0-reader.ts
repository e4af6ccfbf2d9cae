// Applies Yjs v1 updates with a faster reader of their strings, the counterpart of
// lib0-writer.ts. Yjs reads every string of an update (map keys, and each string inside a
// `writeAny` value: a finding has a dozen) as a fresh subarray through TextDecoder: at 100,000
// findings that is 1.5 million views and decoder calls, about a third of materializing the doc.
// Here an ASCII string is made straight from the update's bytes; any other goes through a
// TextDecoder set up as lib0's (fatal, BOM kept), so the values are the same, and so are the
// errors on bytes that are not UTF-8. Yjs takes the reader as a parameter (Y.applyUpdateV2's
// YDecoder); everything but strings and floats is read by lib0 itself. Checked against Y.applyUpdate in
// lib0-reader.test.ts.
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { skipAny } from './update-check.ts'

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Longest array made at its size (a longer one is pushed, so the length is checked by reading it). */
const EXACT_AT_MOST = 64

/** Longest string tried as ASCII (the check walks its bytes first; longer ones are rare and the decoder is fast on them). */
const ASCII_AT_MOST = 128

/**
 * Strings read while materializing one doc. A finding's field names and most of its values
 * (kind, severity, ecosystem, rule, path, version…) recur across findings; Yjs would make a
 * new string for each. Short ASCII strings are looked up here by a hash of their bytes and
 * kept once (a slot holds the last string that hashed to it): a materialized doc of 100,000
 * findings takes ~20% less heap, and its strings less time to make. A table that may grow
 * starts small (a small doc pays for no more) and grows fourfold each time it has made twice
 * as many strings as it has slots, up to 65,536 (a doc of 100,000 findings holds tens of
 * thousands of recurring values: ~6 MB less heap than at 8,192).
 */
export interface StringTable { slots: (string | undefined)[], made: number, most: number }
const SHARED_AT_MOST = 40
const SLOTS = 1 << 13
const MOST_SLOTS = 1 << 16

/** A table for one materialize; `grows` for a doc that may be large (loadDoc), not for the table of calls that bring none. */
export function stringTable(grows = false): StringTable {
  return { slots: new Array<string | undefined>(SLOTS).fill(undefined), made: 0, most: grows ? MOST_SLOTS : SLOTS }
}

/** One step of the hash of an ASCII string's bytes: the same numbers as its chars, so a held string hashes alike when the table grows. */
const hashStep = (h: number, c: number) => Math.imul(h ^ c, 0x01000193)

function grow(table: StringTable): void {
  const slots = new Array<string | undefined>(Math.min(table.slots.length * 4, table.most)).fill(undefined)
  for (const s of table.slots) {
    if (s === undefined) continue
    let h = s.length
    for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i))
    slots[(h >>> 0) & (slots.length - 1)] = s
  }
  table.slots = slots
  table.made = 0
}

/** The table of the update being applied (Yjs makes the reader itself, from the update alone). */
let shared: StringTable = { slots: [undefined], made: 0, most: 1 }

class UpdateReader extends Y.UpdateDecoderV1 {
  readonly #bytes: Buffer
  /** lib0 reads each float through a DataView made for it; one over the whole update does. */
  readonly #view: DataView

  constructor(decoder: decoding.Decoder) {
    super(decoder)
    const arr = decoder.arr
    this.#bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength)
    this.#view = new DataView(arr.buffer, arr.byteOffset, arr.byteLength)
  }

  override readString(): string { return this.#string() }
  override readKey(): string { return this.#string() }
  override readAny(): unknown { return this.#any() }

  #string(): string {
    const d = this.restDecoder
    const len = decoding.readVarUint(d)
    const start = d.pos
    const end = start + len
    const arr = d.arr
    if (end > arr.length) throw new RangeError('string past the end of the update')
    d.pos = end
    if (len <= SHARED_AT_MOST) {
      let h = len
      let i = start
      for (; i < end; i++) { const c = arr[i]!; if (c >= 0x80) break; h = hashStep(h, c) }
      if (i === end) {
        const table = shared
        const slots = table.slots
        const slot = (h >>> 0) & (slots.length - 1)
        const held = slots[slot]
        if (held !== undefined && held.length === len) {
          let j = 0
          while (j < len && held.charCodeAt(j) === arr[start + j]) j++
          if (j === len) return held
        }
        const s = this.#bytes.toString('latin1', start, end)
        slots[slot] = s
        if (++table.made > 2 * slots.length && slots.length < table.most) grow(table)
        return s
      }
    } else if (len <= ASCII_AT_MOST) {
      let i = start
      while (i < end && arr[i]! < 0x80) i++
      if (i === end) return this.#bytes.toString('latin1', start, end)
    }
    return utf8.decode(arr.subarray(start, end))
  }

  #any(): unknown {
    const d = this.restDecoder
    const tag = decoding.readUint8(d)
    switch (tag) {
      case 119: return this.#string()
      case 118: {
        const len = decoding.readVarUint(d)
        const obj: Record<string, unknown> = {}
        for (let i = 0; i < len; i++) {
          const key = this.#string()
          obj[key] = this.#any()
        }
        return obj
      }
      case 117: {
        // Made at its size: push grows an empty array to room for 17, and a finding's arrays
        // (aliases, fixedIn) live as long as the doc (100,000 findings: 25 MB less heap to
        // copy and mark). A long one (a length from the update, not yet checked) grows as read.
        const len = decoding.readVarUint(d)
        if (len === 1) return [this.#any()]
        const arr: unknown[] = len <= EXACT_AT_MOST ? new Array(len) : []
        for (let i = 0; i < len; i++) arr[i] = this.#any()
        return arr
      }
      case 127: return undefined
      case 126: return null
      case 125: return decoding.readVarInt(d)
      case 124: { const v = this.#view.getFloat32(d.pos, false); d.pos += 4; return v }
      case 123: { const v = this.#view.getFloat64(d.pos, false); d.pos += 8; return v }
      case 122: return decoding.readBigInt64(d)
      case 121: return false
      case 120: return true
      case 116: return decoding.readVarUint8Array(d)
      default: throw new TypeError(`unknown lib0 any tag ${tag}`)
    }
  }
}

/**
 * The table of calls that bring none: making one costs more than applying a small update (an
 * envelope received on a live session), and a slot only ever holds a string equal to its bytes.
 */
const common = stringTable()

/** Y.applyUpdate (a v1 update), with the faster string reader; updates applied with one table share their strings. */
export function applyUpdate(doc: Y.Doc, update: Uint8Array, origin?: unknown, strings: StringTable = common): void {
  const outer = shared
  shared = strings
  try {
    Y.applyUpdateV2(doc, update, origin, UpdateReader)
  } finally {
    shared = outer
  }
}

/** The values applyOwnUpdate hands Yjs in place of reading them, and how many it has. */
let replay: { values: readonly unknown[], at: number } = { values: [], at: 0 }

class OwnUpdateReader extends UpdateReader {
  override readAny(): unknown {
    skipAny(this.restDecoder)
    if (replay.at >= replay.values.length) throw new RangeError('the update holds more values than were written')
    return replay.values[replay.at++]
  }
}

/**
 * applyUpdate of an update this process wrote (map-update.ts), given the values its items
 * hold in the order written (lib0-writer.ts' readBack of each): Yjs takes those instead of
 * reading each value back from the bytes, which are only stepped over. A writer applying its
 * own 1,000 findings made every string of them again (~3 ms of ~4).
 */
export function applyOwnUpdate(doc: Y.Doc, update: Uint8Array, values: readonly unknown[], origin?: unknown): void {
  const outer = replay
  replay = { values, at: 0 }
  try {
    Y.applyUpdateV2(doc, update, origin, OwnUpdateReader)
    if (replay.at !== values.length) throw new RangeError(`the update holds ${replay.at} values, ${values.length} were written`)
  } finally {
    replay = outer
  }
}
