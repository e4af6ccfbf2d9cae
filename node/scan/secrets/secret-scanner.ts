// Finds secrets in text in one pass: a single case-insensitive search for every rule's
// keywords, then each rule's pattern only on the lines (or windows) around its keywords.
// What comes out is located, masked and keyed-hashed; the value never leaves this file.
import type { SecretHit } from '../file-result.ts'
import { shannonEntropy } from './entropy.ts'
import { maskSecret, secretHash } from './mask.ts'
import { isPlaceholder } from './placeholder.ts'
import { DEFAULT_RULES, type SecretRule } from './rules.ts'

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

/** Start of the window before a keyword: its line's start, at most WINDOW_BEFORE back. */
function windowStart(text: string, at: number): number {
  const limit = Math.max(0, at - WINDOW_BEFORE)
  for (let i = at - 1; i >= limit; i--) if (text.charCodeAt(i) === 10) return i + 1
  return limit
}

/** End of the window after a keyword: its line's end, at most `reach` ahead. */
function windowEnd(text: string, at: number, reach: number): number {
  const limit = Math.min(text.length, at + reach)
  for (let i = at; i < limit; i++) if (text.charCodeAt(i) === 10) return i
  return limit
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function createSecretScanner(opts: SecretScannerOptions): SecretScanner {
  const rules = opts.rules ?? DEFAULT_RULES
  const byKeyword = new Map<string, SecretRule[]>()
  for (const rule of rules) for (const k of rule.keywords) {
    const list = byKeyword.get(k) ?? []
    if (!list.includes(rule)) list.push(rule)
    byKeyword.set(k, list)
  }
  // Longest keywords first so the alternation prefers the most specific one at a position.
  const keywords = [...byKeyword.keys()].sort((a, b) => b.length - a.length)
  const keywordRe = new RegExp(keywords.map(escapeRegExp).join('|'), 'gi')

  function scan(text: string, path: string): SecretHit[] {
    if (SKIPPED_PATH.test(path)) return []
    const candidates: Candidate[] = []
    /** The last span each rule ran over, so a run of keywords in one place runs it once. */
    const covered = new Map<SecretRule, [number, number]>()
    keywordRe.lastIndex = 0
    for (let m = keywordRe.exec(text); m !== null; m = keywordRe.exec(text)) {
      const at = m.index
      for (const rule of byKeyword.get(m[0].toLowerCase())!) {
        // Line rules look at a window around the keyword (secrets sit next to their
        // keyword; minified files have megabyte lines); block rules at the span they declare.
        const from = windowStart(text, at)
        const to = rule.multiline !== undefined ? Math.min(text.length, at + rule.multiline) : windowEnd(text, at, rule.reach ?? WINDOW_AFTER)
        const last = covered.get(rule)
        if (last !== undefined && from >= last[0] && to <= last[1]) continue
        covered.set(rule, [from, to])
        runRule(rule, text, from, to, candidates)
      }
    }
    return resolve(candidates, text, path)
  }

  function runRule(rule: SecretRule, text: string, from: number, to: number, out: Candidate[]): void {
    const segment = text.slice(from, to)
    const re = rule.pattern
    re.lastIndex = 0
    for (let m = re.exec(segment); m !== null; m = re.exec(segment)) {
      if (m[0].length === 0) { re.lastIndex++; continue }
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
