// The secret scanner's keyword pre-filter: every occurrence of the rules' keywords in a
// text, exactly as the alternation /kw1|kw2|…/gi (longest first) finds them — leftmost, the
// longest keyword at a position, the search going on after it; ASCII letters match either
// case and nothing else does (a case-insensitive RegExp without the u flag).
//
// Why not that RegExp: nearly every letter begins some keyword, so the engine dispatches at
// every position (~4.5 ns a character here, three quarters of a scan; this finder: ~2.6).
// Here the text is copied one byte per UTF-16 unit (latin1: the low byte, so indices stay
// the same) and read two bytes at a time: each keyword is given two neighbouring character pairs, chosen among its rarer
// ones, and since every occurrence puts one of them on an even index, one table load per
// two characters flags the few places worth checking. Each is checked against the text
// itself, so a truncated non-Latin-1 character can only cost a check, never a false hit.
import { endianness } from 'node:os'

export interface KeywordFinder {
  /** Calls onHit with each occurrence's index and its keyword, in text order. */
  forEach(text: string, onHit: (at: number, keyword: string) => void): void
}

interface Keyword { keyword: string, codes: Uint8Array }

/** ASCII lowercase below 128; 0, which no keyword holds, for the rest. */
const LOWER = new Uint8Array(128)
for (let c = 0; c < 128; c++) LOWER[c] = c >= 65 && c <= 90 ? c + 32 : c
const lower = (code: number): number => (code < 128 ? LOWER[code]! : 0)
/** The same for a byte of the latin1 copy (the low byte of a character, so only a hint). */
const LOWER_BYTE = new Uint8Array(256)
LOWER_BYTE.set(LOWER)

/**
 * The 120 most frequent character pairs (lowercased) in a 50 MB tree of npm packages'
 * sources, most frequent first: the pairs to avoid when choosing a keyword's flagging pairs.
 */
const COMMON_PAIRS = '   "onreiner: e tith tesdetesten":oratt coiolentses etpear {riishealit,  aro insn ng * str cmeedra }antatotyecctrt =ndurli= ",* d  o r fs.neprr exashimafiopypodefgencptcepaom ne"veunpo eea pam) f ch bllulnaelscacifemcavarrounolocrueil (sits'
const pairCost = new Map<string, number>()
for (let i = 0; i + 1 < COMMON_PAIRS.length; i += 2) pairCost.set(COMMON_PAIRS.slice(i, i + 2), 150 - i / 2)

function cost(codes: Uint8Array, i: number): number {
  return pairCost.get(String.fromCharCode(codes[i]!, codes[i + 1]!)) ?? 1
}

const LITTLE_ENDIAN = endianness() === 'LE'
const pairIndex = (first: number, second: number): number => (LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second)

/** Both cases of an ASCII letter, else the code itself. */
const cases = (c: number): number[] => (c >= 97 && c <= 122 ? [c, c - 32] : [c])

/** Kept between texts up to this size; a bigger text gets a copy of its own, dropped after it. */
const KEPT_SCRATCH = 4 * 1024 * 1024
let scratch = Buffer.alloc(0)
let pairs = new Uint16Array(0)

/** The text one byte per UTF-16 unit, padded with a 0 to an even length, read as pairs. */
function pairsOf(text: string): Uint16Array {
  const size = (text.length + 1) & ~1
  let bytes = scratch
  let words = pairs
  if (bytes.length < size) {
    // Its own ArrayBuffer (never the shared pool), so the pairs are aligned.
    const buffer = new ArrayBuffer(size > KEPT_SCRATCH ? size : Math.min(KEPT_SCRATCH, Math.max(size, 2 * bytes.length)))
    bytes = Buffer.from(buffer)
    words = new Uint16Array(buffer)
    if (size <= KEPT_SCRATCH) { scratch = bytes; pairs = words }
  }
  bytes.write(text, 0, text.length, 'latin1')
  if (size > text.length) bytes[text.length] = 0
  return words.subarray(0, size >> 1)
}

let flaggedScratch = new Int32Array(1024)

/** The indexes of the pairs whose flag is set: the hot loop, alone so that it stays simple for the compiler. */
function flaggedPairs(words: Uint16Array, flags: Uint8Array): Int32Array {
  let out = flaggedScratch
  let count = 0
  for (let j = 0, m = words.length; j < m; j++) {
    if (flags[words[j]!] === 0) continue
    if (count === out.length) {
      const grown = new Int32Array(2 * out.length)
      grown.set(out)
      out = flaggedScratch = grown
    }
    out[count++] = j
  }
  return out.subarray(0, count)
}

export function createKeywordFinder(keywords: readonly string[]): KeywordFinder {
  const list: Keyword[] = [...new Set(keywords)].map((k) => {
    const codes = [...k].map((ch) => ch.charCodeAt(0))
    if (codes.length < 2 || codes.some((c) => c === 0 || c >= 128) || k !== k.toLowerCase()) {
      throw new RangeError(`a keyword is lowercase ASCII of 2 characters or more: ${JSON.stringify(k)}`)
    }
    return { keyword: k, codes: new Uint8Array(codes) }
  })
  /** Per pair of (either-case) bytes: bit d set when a keyword may start d characters before a pair at an even index. */
  const flags = new Uint8Array(1 << 16)
  const deltas = new Int32Array(1 << 16)
  const mark = (first: number[], second: number[], d: number) => {
    for (const a of first) for (const b of second) { const i = pairIndex(a, b); flags[i] = 1; deltas[i]! |= 1 << d }
  }
  const anyByte = Array.from({ length: 256 }, (_, b) => b)
  for (const { codes } of list) {
    if (codes.length === 2) {
      // Its pair on an even index, or its second character opening one after an odd start.
      mark(cases(codes[0]!), cases(codes[1]!), 0)
      mark(cases(codes[1]!), anyByte, 1)
      continue
    }
    let best = 0
    let bestCost = Infinity
    for (let i = 0; i + 2 < codes.length && i + 1 < 31; i++) {
      const c = cost(codes, i) + cost(codes, i + 1)
      if (c < bestCost) { best = i; bestCost = c }
    }
    mark(cases(codes[best]!), cases(codes[best + 1]!), best)
    mark(cases(codes[best + 1]!), cases(codes[best + 2]!), best + 1)
  }
  // The keywords by their first two characters, longest first: the check at a flagged place.
  const slotOf = new Uint8Array(128 * 128)
  const groups: Keyword[][] = [[]]
  for (const k of [...list].sort((a, b) => b.codes.length - a.codes.length)) {
    const first = (k.codes[0]! << 7) | k.codes[1]!
    if (slotOf[first] === 0) {
      if (groups.length > 255) throw new RangeError('more than 255 keyword prefixes')
      slotOf[first] = groups.length
      groups.push([])
    }
    groups[slotOf[first]!]!.push(k)
  }
  const all = groups.flat()
  const indexOf = new Map(all.map((k, i) => [k, i]))
  /** An occurrence is kept as one number, start * radix + keyword index, so that sorting orders them. */
  const radix = all.length

  /**
   * The index (in `all`) of the longest keyword at `at` of the group of its first two
   * characters, or -1. The group was found from the latin1 copy: the text itself decides.
   */
  function longestAt(text: string, at: number, slot: number): number {
    next: for (const k of groups[slot]!) {
      const codes = k.codes
      if (at + codes.length > text.length) continue
      for (let j = 0; j < codes.length; j++) if (lower(text.charCodeAt(at + j)) !== codes[j]) continue next
      return indexOf.get(k)!
    }
    return -1
  }

  return {
    forEach(text, onHit) {
      if (text.length < 2) return
      const words = pairsOf(text)
      const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength)
      // Flagged places come out of order (a keyword may start up to 30 characters before its
      // pair): gather every occurrence as one number, sort, and keep them leftmost
      // first, none inside the one before (which also drops the same one flagged twice).
      const found: number[] = []
      const n = text.length
      const flagged = flaggedPairs(words, flags)
      for (let f = 0; f < flagged.length; f++) {
        const j = flagged[f]!
        const pair = words[j]!
        // Each set bit in turn, lowest first (a keyword may sit 30 characters before its pair).
        for (let bits = deltas[pair]!; bits !== 0; bits &= bits - 1) {
          const at = 2 * j - (31 - Math.clz32(bits & -bits))
          if (at < 0 || at + 1 >= n) continue
          const slot = slotOf[(LOWER_BYTE[bytes[at]!]! << 7) | LOWER_BYTE[bytes[at + 1]!]!]!
          if (slot === 0) continue
          const k = longestAt(text, at, slot)
          if (k !== -1) found.push(at * radix + k)
        }
      }
      if (found.length === 0) return
      // The scratch space is done with: onHit may run another search.
      const sorted = Float64Array.from(found).sort()
      let end = 0
      for (const x of sorted) {
        const at = Math.floor(x / radix)
        if (at < end) continue
        const k = all[x - at * radix]!
        onHit(at, k.keyword)
        end = at + k.codes.length
      }
    },
  }
}
