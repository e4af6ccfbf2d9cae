// The one msgpack configuration every signed or framed structure is encoded with.
// Plain msgpack (no msgpackr records or structures) so a peer in another language can
// read it; maps with string keys; binary as bin, never as arrays of numbers.
import { Packr, RESET_BUFFER_MODE } from 'msgpackr'

const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  bundleStrings: false,
  int64AsType: 'number',
  mapsAsObjects: true,
  variableMapSize: true,
})

/**
 * msgpack bytes of a value, in a buffer of their own (msgpackr hands out views of a
 * shared slab; signed bytes are kept for a long time and must not pin or share it).
 * Copied out at once, so the slab is written from its start again each time: otherwise
 * msgpackr moves on through it and allocates a new slab (four times the value) whenever a
 * value does not fit behind the last, which for megabyte envelopes meant a fresh slab
 * almost every time and full GCs driven by that garbage.
 */
export function pack(value: unknown): Uint8Array {
  return new Uint8Array(packr.pack(value, RESET_BUFFER_MODE))
}

/** The value in msgpack bytes; throws whatever msgpackr throws (callers wrap it in their named error). */
export function unpack(bytes: Uint8Array): unknown {
  // msgpackr caches a `dataView` property on the array it reads: give it a view of our own,
  // so the caller's array (often kept, e.g. an envelope's body) is not changed. Same kind of
  // view, because decoded bins are subarrays of it (a Buffer in, Buffers out).
  const view = Buffer.isBuffer(bytes)
    ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return packr.unpack(view)
}
