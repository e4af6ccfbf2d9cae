// Writing Y.Map entries the way every doc of crdt/ must: Y.Map keeps each overwritten value
// (in updates, and as a tombstone in the state), so an entry equal to what is held is never
// set again; and Yjs stores JSON, so undefined fields are dropped before they turn into nulls.
import type * as Y from 'yjs'

/** Deep equality of JSON-like values (key order does not matter; undefined fields count as absent). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]))
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => o[k] !== undefined)
  const ak = keys(ao)
  if (ak.length !== keys(bo).length) return false
  return ak.every((k) => Object.hasOwn(bo, k) && sameValue(ao[k], bo[k]))
}

/** A copy without undefined fields (nested objects too): what Yjs stores and gives back. */
export function clean<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value
  if (Array.isArray(value)) return value.map(clean) as T
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = clean(v)
  return out as T
}

/** Sets the entry unless it already holds an equal value; whether it wrote. */
export function setIfChanged<T>(map: Y.Map<T>, key: string, value: T): boolean {
  const v = clean(value)
  if (map.has(key) && sameValue(map.get(key), v)) return false
  map.set(key, v)
  return true
}
