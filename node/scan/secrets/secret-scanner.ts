// Finds secrets in text in one pass: a single case-insensitive search for every rule's
// keywords (keyword-finder.ts), then each rule's pattern only on the lines (or windows)
// around its keywords, from where its implied pattern (if it has one) shows a match can begin.
// What comes out is located, masked and keyed-hashed; the value never leaves this file.
import type { SecretHit } from '../file-result.ts'
import { shannonEntropy } from './entropy.ts'
import { maskSecret, secretHash } from './mask.ts'
import { isPlaceholder } from './placeholder.ts'
import { DEFAULT_RULES, type SecretRule } from './rules.ts'
import { createKeywordFinder } from './keyword-finder.ts'
import { forwardSearch } from './forward-search.ts'

export interface SecretScannerOptions {
  /** Installation key for the HMAC of each secret. */
  hmacKey: Uint8Array
  rules?: SecretRule[]
}

export interface SecretScanner {
  scan(text: string, path: string): SecretHit[]
  /** Skips binary content (a NUL byte in the first 8 KiB). */
  scanBuffer(bytes: Uint8Array, path: string): SecretHit[]
}

/** Documented examples, templates, test data and lockfiles (integrity hashes) are not scanned. */
const SKIPPED_PATH = /(?:^|\/)(?:testdata|fixtures|__fixtures__|__snapshots__)\/|\.(?:example|sample|template|dist|snap)$|(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lock|go\.sum|Cargo\.lock|poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|pdm\.lock|uv\.lock|packages\.lock\.json|gradle\.lockfile|mix\.lock|pubspec\.lock)$/

const INLINE_ALLOW = 'zt:allow'
const WINDOW_BEFORE = 80
const WINDOW_AFTER = 320

interface Candidate { rule: SecretRule, start: number, end: number, value: string, generic: boolean }

export function createSecretScanner(opts: SecretScannerOptions): SecretScanner {
  const rules = opts.rules ?? DEFAULT_RULES
  /** Per keyword, the indexes (in `rules`) of the rules it triggers. */
  const byKeyword = new Map<string, number[]>()
  rules.forEach((rule, r) => {
    for (const k of rule.keywords) {
      const list = byKeyword.get(k) ?? []
      if (!list.includes(r)) list.push(r)
      byKeyword.set(k, list)
    }
  })
  const keywordFinder = createKeywordFinder([...byKeyword.keys()])

  function scan(text: string, path: string): SecretHit[] {
    if (SKIPPED_PATH.test(path)) return []
    const candidates: Candidate[] = []
    /** Per rule, the last span it ran over, so a run of keywords in one place runs it once. */
    const coveredFrom = new Array<number>(rules.length).fill(-1)
    const coveredTo = new Array<number>(rules.length).fill(-1)
    const lineEndFrom = forwardSearch(text, '\n')
    const openings = new Map<string, (from: number) => number>()
    let lineEnd = -1
    let lineStart = 0
    keywordFinder.forEach(text, (at, keyword) => {
      if (at > lineEnd) {
        lineEnd = lineEndFrom(at)
        lineStart = at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1
      }
      // Line rules look at a window around the keyword: its line, at most WINDOW_BEFORE
      // characters back and `reach` ahead (secrets sit next to their keyword; minified files
      // have megabyte lines); block rules at the span they declare.
      const from = Math.max(lineStart, at - WINDOW_BEFORE)
      for (const r of byKeyword.get(keyword)!) {
        const rule = rules[r]!
        const to = rule.multiline !== undefined ? Math.min(text.length, at + rule.multiline) : Math.min(lineEnd, at + (rule.reach ?? WINDOW_AFTER))
        if (coveredFrom[r]! !== -1 && from >= coveredFrom[r]! && to <= coveredTo[r]!) continue
        coveredFrom[r] = from
        coveredTo[r] = to
        let begin = from
        if (rule.opening !== undefined) {
          let next = openings.get(rule.opening)
          if (next === undefined) { next = forwardSearch(text, rule.opening); openings.set(rule.opening, next) }
          begin = next(from)
          if (begin >= to) continue
        }
        runRule(rule, text, from, to, begin - from, candidates)
      }
    })
    return resolve(candidates, text, path)
  }

  /** Runs a rule over text[from, to), searching from `begin` characters in. */
  function runRule(rule: SecretRule, text: string, from: number, to: number, begin: number, out: Candidate[]): void {
    const segment = text.slice(from, to)
    const re = rule.pattern
    const implied = rule.implied
    let pos = begin
    for (;;) {
      // No match begins before `within` characters ahead of the first implied match (and none at all without one).
      if (implied !== undefined) {
        implied.pattern.lastIndex = pos
        const lead = implied.pattern.exec(segment)
        if (lead === null) return
        pos = Math.max(pos, lead.index - implied.within)
      }
      re.lastIndex = pos
      const m = re.exec(segment)
      if (m === null) return
      if (m[0].length === 0) { pos = re.lastIndex + 1; continue }
      pos = re.lastIndex
      const value = m.groups?.s
      if (value === undefined) continue
      const part = rule.checkPart ? rule.checkPart(value) : value
      if (rule.minEntropy !== undefined && shannonEntropy(part) < rule.minEntropy) continue
      if (isPlaceholder(part)) continue
      if (rule.validate && !rule.validate(value, m)) continue
      const start = from + m.index + m[0].indexOf(value)
      out.push({ rule, start, end: start + value.length, value, generic: rule.id.startsWith('generic') })
    }
  }

  function resolve(candidates: Candidate[], text: string, path: string): SecretHit[] {
    if (candidates.length === 0) return []
    // A token a specific rule recognises is reported by that rule, not again as generic.
    candidates.sort((a, b) => Number(a.generic) - Number(b.generic) || a.start - b.start)
    const kept: Candidate[] = []
    for (const c of candidates) {
      if (kept.some((k) => c.start < k.end && k.start < c.end)) continue // also drops repeats from overlapping windows
      kept.push(c)
    }
    kept.sort((a, b) => a.start - b.start)
    const hits: SecretHit[] = []
    let line = 1
    let pos = 0
    for (const c of kept) {
      for (let i = text.indexOf('\n', pos); i !== -1 && i < c.start; i = text.indexOf('\n', i + 1)) { line++; pos = i + 1 }
      const lineEnd = text.indexOf('\n', c.start)
      if (text.slice(pos, lineEnd === -1 ? text.length : lineEnd).includes(INLINE_ALLOW)) continue
      hits.push({
        rule: c.rule.id, description: c.rule.description, severity: c.rule.severity, path,
        line, column: c.start - pos + 1, preview: maskSecret(c.value), hash: secretHash(opts.hmacKey, c.value),
      })
    }
    return hits
  }

  return {
    scan,
    scanBuffer(bytes, path) {
      const head = bytes.subarray(0, 8192)
      if (head.includes(0)) return []
      return scan(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), path)
    },
  }
}
