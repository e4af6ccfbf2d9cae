// Reads a Yjs v1 update through, as Yjs' own reader would, without building anything: a
// receiver that stores an envelope before it applies it (the hub acks first and applies
// behind, envelope-log.ts) refuses here what Yjs could not decode. Everything Yjs reads is
// read the same way: struct headers, origins, parents, contents, the delete set (runs may
// not be empty: Yjs fails to write one back when it keeps it pending); strings
// must be UTF-8 (lib0 decodes them with a fatal decoder); counts may not promise more items
// than bytes are left (Yjs would allocate for them). Stricter than Yjs in one place: a
// subdocument (ContentDoc) is refused, as no ZeroTrace doc holds one. Checked against Yjs by
// fuzzing in update-check.test.ts: whatever passes here Yjs reads, with either of its
// readers. Reading is not integrating: an update that reads well may still contradict itself
// or the doc (an item whose parent is no type), which only applying it shows.
import { isUtf8 } from 'node:buffer'
import * as decoding from 'lib0/decoding'

/** Content refs (the low five bits of a struct's info byte), as Yjs numbers them. */
const GC = 0
const DELETED = 1
const JSON_CONTENT = 2
const BINARY = 3
const STRING = 4
const EMBED = 5
const FORMAT = 6
const TYPE = 7
const ANY = 8
const SKIP = 10
/** Type refs of ContentType: YArray, YMap, YText, YXmlElement, YXmlFragment, YXmlHook, YXmlText. */
const TYPE_REFS = 7
const XML_ELEMENT = 3
const XML_HOOK = 5
/** Nesting of `any` values Yjs' recursive reader comfortably takes. */
const MAX_DEPTH = 1000

/** Throws (a RangeError or TypeError naming what is wrong) unless Yjs can read this v1 update. */
export function checkUpdate(update: Uint8Array): void {
  const d = decoding.createDecoder(update)
  const structsOfClients = count(d)
  for (let i = 0; i < structsOfClients; i++) {
    const structs = count(d)
    decoding.readVarUint(d) // client
    decoding.readVarUint(d) // clock
    for (let j = 0; j < structs; j++) struct(d)
  }
  const clients = count(d)
  for (let i = 0; i < clients; i++) {
    decoding.readVarUint(d) // client
    const deletes = count(d)
    for (let j = 0; j < deletes; j++) { decoding.readVarUint(d); length(d) }
  }
}

function struct(d: decoding.Decoder): void {
  const info = decoding.readUint8(d)
  const ref = info & 0b11111
  // Yjs' lazy reader (Y.decodeUpdate, mergeUpdates) takes a skip only as the bare info 10.
  if (ref === GC || info === SKIP) { length(d); return }
  const hasOrigin = (info & 0b10000000) !== 0
  const hasRightOrigin = (info & 0b01000000) !== 0
  if (hasOrigin) id(d)
  if (hasRightOrigin) id(d)
  if (!hasOrigin && !hasRightOrigin) {
    if (decoding.readVarUint(d) === 1) string(d) // a root type's name
    else id(d) // the parent item
    if ((info & 0b00100000) !== 0) string(d) // parentSub: the map key
  }
  content(d, ref, info)
}

function content(d: decoding.Decoder, ref: number, info: number): void {
  switch (ref) {
    case DELETED: length(d); return
    case JSON_CONTENT: {
      const n = count(d)
      for (let i = 0; i < n; i++) { const s = text(d); if (s !== 'undefined') JSON.parse(s) }
      return
    }
    case BINARY: skip(d, decoding.readVarUint(d)); return
    case STRING: string(d); return
    case EMBED: JSON.parse(text(d)); return
    case FORMAT: string(d); JSON.parse(text(d)); return
    case TYPE: {
      const typeRef = decoding.readVarUint(d)
      if (typeRef >= TYPE_REFS) throw new TypeError(`unknown type ref ${typeRef}`)
      if (typeRef === XML_ELEMENT || typeRef === XML_HOOK) string(d)
      return
    }
    case ANY: {
      const n = count(d)
      for (let i = 0; i < n; i++) any(d, 0)
      return
    }
    default: throw new TypeError(`unknown or refused content ref ${ref} (info ${info})`)
  }
}

/** Reads past one lib0 `writeAny` value, checking it as Yjs would read it; makes nothing of it. */
export function skipAny(d: decoding.Decoder): void {
  any(d, 0)
}

function any(d: decoding.Decoder, depth: number): void {
  if (depth > MAX_DEPTH) throw new RangeError('values nested too deep')
  const tag = decoding.readUint8(d)
  switch (tag) {
    case 127: case 126: case 121: case 120: return
    case 125: decoding.readVarInt(d); return
    case 124: skip(d, 4); return
    case 123: case 122: skip(d, 8); return
    case 119: string(d); return
    case 118: {
      const n = count(d)
      for (let i = 0; i < n; i++) { string(d); any(d, depth + 1) }
      return
    }
    case 117: {
      const n = count(d)
      for (let i = 0; i < n; i++) any(d, depth + 1)
      return
    }
    case 116: skip(d, decoding.readVarUint(d)); return
    default: throw new TypeError(`unknown lib0 any tag ${tag}`)
  }
}

/** A count of things to read: each takes at least a byte, so no more than the bytes left. */
function count(d: decoding.Decoder): number {
  const n = decoding.readVarUint(d)
  if (n > d.arr.length - d.pos) throw new RangeError(`a count of ${n} with ${d.arr.length - d.pos} bytes left`)
  return n
}

/** The length of a run of structs or deletions: Yjs writes none empty, and fails writing one back. */
function length(d: decoding.Decoder): void {
  if (decoding.readVarUint(d) === 0) throw new RangeError('an empty run')
}

function id(d: decoding.Decoder): void {
  decoding.readVarUint(d)
  decoding.readVarUint(d)
}

function skip(d: decoding.Decoder, n: number): void {
  if (d.pos + n > d.arr.length) throw new RangeError('unexpected end of the update')
  d.pos += n
}

function bytes(d: decoding.Decoder): Uint8Array {
  const n = decoding.readVarUint(d)
  const start = d.pos
  skip(d, n)
  return d.arr.subarray(start, start + n)
}

/**
 * A string, which must be UTF-8. An ASCII one (nearly every one: keys, ids, versions) is
 * passed here without a view made of it: 1,000 findings hold ~25,000 strings, and a view
 * each was a hub's largest garbage per envelope.
 */
function string(d: decoding.Decoder): void {
  const n = decoding.readVarUint(d)
  const start = d.pos
  skip(d, n)
  const arr = d.arr
  for (let i = start, end = start + n; i < end; i++) {
    if (arr[i]! < 0x80) continue
    if (!isUtf8(arr.subarray(start, end))) throw new TypeError('a string that is not UTF-8')
    return
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** A string the caller parses (JSON content, rare): decoded as lib0 does. */
function text(d: decoding.Decoder): string {
  return utf8.decode(bytes(d))
}
