// Debian version ordering (dpkg's verrevcmp): [epoch:]upstream[-revision]; within a part,
// non-digit runs compare character by character with `~` before everything (even the end),
// letters before other characters, then digit runs numerically.
import type { VersionComparator } from './comparator.ts'

function order(c: string | undefined): number {
  if (c === undefined) return 0
  if (c === '~') return -1
  const code = c.charCodeAt(0)
  if (code >= 48 && code <= 57) return 0
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return code
  return code + 256
}

function verrevcmp(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    let firstDiff = 0
    while ((i < a.length && !/\d/.test(a[i]!)) || (j < b.length && !/\d/.test(b[j]!))) {
      const ac = order(a[i])
      const bc = order(b[j])
      if (ac !== bc) return ac - bc
      i++
      j++
    }
    while (a[i] === '0') i++
    while (b[j] === '0') j++
    while (i < a.length && /\d/.test(a[i]!) && j < b.length && /\d/.test(b[j]!)) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j)
      i++
      j++
    }
    if (i < a.length && /\d/.test(a[i]!)) return 1
    if (j < b.length && /\d/.test(b[j]!)) return -1
    if (firstDiff !== 0) return firstDiff
  }
  return 0
}

function split(v: string): [number, string, string] {
  let s = v.trim()
  let epoch = 0
  const colon = s.indexOf(':')
  if (colon !== -1 && /^\d+$/.test(s.slice(0, colon))) { epoch = Number(s.slice(0, colon)); s = s.slice(colon + 1) }
  const dash = s.lastIndexOf('-')
  return dash === -1 ? [epoch, s, ''] : [epoch, s.slice(0, dash), s.slice(dash + 1)]
}

export function compareDpkg(a: string, b: string): number {
  const [ea, ua, ra] = split(a)
  const [eb, ub, rb] = split(b)
  if (ea !== eb) return ea < eb ? -1 : 1
  const u = verrevcmp(ua, ub)
  if (u !== 0) return Math.sign(u)
  return Math.sign(verrevcmp(ra, rb))
}

export const dpkg: VersionComparator = { compare: compareDpkg }
