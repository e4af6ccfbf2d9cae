// A secret's only representations: a masked preview for people and a keyed hash for
// linking the same secret across findings. The value itself is never kept.
import { createHmac } from 'node:crypto'

/** At most the first and last 4 characters; fewer for short values; the middle masked. */
export function maskSecret(value: string): string {
  const show = value.length >= 20 ? 4 : value.length >= 12 ? 2 : value.length >= 8 ? 1 : 0
  if (show === 0) return '*'.repeat(Math.min(value.length, 8))
  return `${value.slice(0, show)}${'*'.repeat(Math.min(12, value.length - 2 * show))}${value.slice(-show)}`
}

/** HMAC-SHA256 of the value under the installation key, hex. */
export function secretHash(key: Uint8Array, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex')
}
