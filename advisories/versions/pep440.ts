// PyPI version ordering per PEP 440, as the `packaging` library implements it: epoch,
// release (trailing zeros ignored), pre-release (a < b < rc), post-release, dev release,
// local version. Spellings are normalised (alpha→a, c/pre/preview→rc, rev/r→post, `1.0-1`
// is a post release). A string outside PEP 440 falls back to its leading release numbers,
// with `-final`-style suffixes ignored, so old PyPI uploads still order sensibly.
import type { VersionComparator } from './comparator.ts'

const RE = /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i

/** A sort key: arrays compared element by element; ±Infinity stand for packaging's Infinity objects. */
interface Key { epoch: number, release: number[], pre: [number, number], post: number, dev: number, local: (number | string)[] | null }

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 }

const cache = new Map<string, Key>()

export function pep440Key(v: string): Key {
  const hit = cache.get(v)
  if (hit) return hit
  const m = RE.exec(v)
  let key: Key
  if (m) {
    const release = m[2]!.split('.').map(Number)
    while (release.length > 1 && release[release.length - 1] === 0) release.pop()
    const hasPre = m[3] !== undefined
    const hasPost = m[5] !== undefined || m[6] !== undefined
    const hasDev = m[8] !== undefined
    key = {
      epoch: m[1] ? Number(m[1]) : 0,
      release,
      // packaging: a dev release of a final version sorts before its pre-releases.
      pre: hasPre ? [PRE_RANK[m[3]!.toLowerCase()]!, Number(m[4] ?? 0)] : !hasPost && hasDev ? [-Infinity, 0] : [Infinity, 0],
      post: hasPost ? Number(m[5] ?? m[7] ?? 0) : -Infinity,
      dev: hasDev ? Number(m[9] ?? 0) : Infinity,
      local: m[10] ? m[10].toLowerCase().split(/[-_.]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : null,
    }
  } else {
    const lead = /^\s*v?(\d+(?:\.\d+)*)/i.exec(v)
    const release = lead ? lead[1]!.split('.').map(Number) : [-1]
    while (release.length > 1 && release[release.length - 1] === 0) release.pop()
    key = { epoch: lead ? 0 : -1, release, pre: [Infinity, 0], post: -Infinity, dev: Infinity, local: null }
  }
  if (cache.size > 50_000) cache.clear()
  cache.set(v, key)
  return key
}

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function cmpLocal(a: (number | string)[] | null, b: (number | string)[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (x === y) continue
    // Numeric segments sort after alphanumeric ones.
    if (typeof x === 'number' && typeof y === 'number') return cmpNum(x, y)
    if (typeof x === 'number') return 1
    if (typeof y === 'number') return -1
    return x < y ? -1 : 1
  }
  return 0
}

export function comparePep440(a: string, b: string): number {
  const ka = pep440Key(a)
  const kb = pep440Key(b)
  let d = cmpNum(ka.epoch, kb.epoch)
  if (d !== 0) return d
  for (let i = 0; i < Math.max(ka.release.length, kb.release.length); i++) {
    d = cmpNum(ka.release[i] ?? 0, kb.release[i] ?? 0)
    if (d !== 0) return d
  }
  d = cmpNum(ka.pre[0], kb.pre[0]) || cmpNum(ka.pre[1], kb.pre[1])
  if (d !== 0) return d
  d = cmpNum(ka.post, kb.post)
  if (d !== 0) return d
  d = cmpNum(ka.dev, kb.dev)
  if (d !== 0) return d
  return cmpLocal(ka.local, kb.local)
}

export const pep440: VersionComparator = { compare: comparePep440 }
