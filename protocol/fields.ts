// Field validators for untrusted decoded msgpack: each returns the typed value or throws a
// ProtocolError('bad-field') naming the field. The one place wire limits are enforced.
import { ProtocolError } from './errors.ts'

export type Fields = Record<string, unknown>

const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{40,60}$/
const DOC = /^[A-Za-z0-9._/-]{1,200}$/
const TENANT = /^[a-z0-9][a-z0-9-]{0,62}$/

function bad(field: string, why: string): ProtocolError {
  return new ProtocolError('bad-field', `${field}: ${why}`)
}

/** A plain map with only string keys (no arrays, binaries, or prototype tricks). */
export function asMap(v: unknown, field: string): Fields {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array || Object.getPrototypeOf(v) !== Object.prototype) {
    throw bad(field, 'must be a map')
  }
  if (Object.hasOwn(v, '__proto__') || Object.hasOwn(v, 'constructor') || Object.hasOwn(v, 'prototype')) throw bad(field, 'forbidden key')
  return v as Fields
}

/** Refuses keys outside the allowed set: a field a peer adds is a version change, not silence. */
export function onlyKeys(m: Fields, allowed: readonly string[], field: string): void {
  for (const k of Object.keys(m)) if (!allowed.includes(k)) throw bad(field, `unknown field '${k}'`)
}

export function str(m: Fields, key: string, max: number, pattern?: RegExp): string {
  const v = m[key]
  if (typeof v !== 'string') throw bad(key, 'must be a string')
  if (v.length > max) throw bad(key, `longer than ${max}`)
  if (pattern && !pattern.test(v)) throw bad(key, 'bad format')
  return v
}

export function uint(m: Fields, key: string, min = 0): number {
  const v = m[key]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw bad(key, `must be an integer ≥ ${min}`)
  return v
}

/** A binary field, copied: it shares nothing with what it was decoded from. */
export function bin(m: Fields, key: string, max: number, exact?: number): Uint8Array {
  return new Uint8Array(binView(m, key, max, exact))
}

/** A binary field as a plain view of what it was decoded from (for a caller that owns those bytes). */
export function binView(m: Fields, key: string, max: number, exact?: number): Uint8Array {
  const v = m[key]
  if (!(v instanceof Uint8Array)) throw bad(key, 'must be binary')
  if (v.length > max) throw bad(key, `over ${max} bytes`)
  if (exact !== undefined && v.length !== exact) throw bad(key, `must be ${exact} bytes`)
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
}

export function arr(m: Fields, key: string, max: number): unknown[] {
  const v = m[key]
  if (!Array.isArray(v)) throw bad(key, 'must be an array')
  if (v.length > max) throw bad(key, `more than ${max} items`)
  return v
}

export function oneOf<T extends string>(m: Fields, key: string, values: readonly T[]): T {
  const v = m[key]
  if (typeof v !== 'string' || !values.includes(v as T)) throw bad(key, `must be one of ${values.join(', ')}`)
  return v as T
}

export const peerId = (m: Fields, key: string) => str(m, key, 60, PEER_ID)
export const docName = (m: Fields, key: string) => str(m, key, 200, DOC)
export const tenantName = (m: Fields, key: string) => str(m, key, 63, TENANT)
export const PATTERNS = { PEER_ID, DOC, TENANT }
