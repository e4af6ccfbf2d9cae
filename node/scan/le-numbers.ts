// Columns of little-endian numbers inside stored bytes (scan cache entries, the scan memo,
// directory listings): read as typed-array views where the host is little-endian and the
// offset aligned, else copied number by number; written with one copy of a typed array's
// bytes on such a host, else number by number.
import { endianness } from 'node:os'

const LITTLE_ENDIAN = endianness() === 'LE'

/** `count` u32 at `at` of `b`. */
export function u32At(b: Buffer, at: number, count: number): Uint32Array {
  const start = b.byteOffset + at
  if (LITTLE_ENDIAN && start % 4 === 0) return new Uint32Array(b.buffer, start, count)
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) out[i] = b.readUInt32LE(at + 4 * i)
  return out
}

/** `count` f64 at `at` of `b`. */
export function f64At(b: Buffer, at: number, count: number): Float64Array {
  const start = b.byteOffset + at
  if (LITTLE_ENDIAN && start % 8 === 0) return new Float64Array(b.buffer, start, count)
  const out = new Float64Array(count)
  for (let i = 0; i < count; i++) out[i] = b.readDoubleLE(at + 8 * i)
  return out
}

/** Writes `values` as u32 at `at` of `b`; returns where they end. */
export function putU32(b: Buffer, at: number, values: ArrayLike<number>): number {
  if (LITTLE_ENDIAN && values instanceof Uint32Array) b.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at)
  else for (let i = 0; i < values.length; i++) b.writeUInt32LE(values[i]!, at + 4 * i)
  return at + 4 * values.length
}

/** Writes `values` as f64 at `at` of `b`; returns where they end. */
export function putF64(b: Buffer, at: number, values: ArrayLike<number>): number {
  if (LITTLE_ENDIAN && values instanceof Float64Array) b.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at)
  else for (let i = 0; i < values.length; i++) b.writeDoubleLE(values[i]!, at + 8 * i)
  return at + 8 * values.length
}
