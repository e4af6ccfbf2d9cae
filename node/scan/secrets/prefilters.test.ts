// The scanner's shortcuts must never change what is found: the keyword finder finds what
// the plain case-insensitive alternation finds, and a rule's `implied` pattern and
// `opening` only skip where its own pattern cannot match. Checked over the labelled corpus and seeded random text
// built from corpus lines, credential words, assignment syntax and noise.
import { describe, it, expect } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSecretScanner, DEFAULT_RULES, OPTIONAL_RULES } from './index.ts'
import { createKeywordFinder } from './keyword-finder.ts'
import type { LabelledCase } from './gitleaks-families.ts'

const DATA = join(import.meta.dirname, '../../../../shared/data/secrets/rule-cases.json')
const corpus: string[] = existsSync(DATA)
  ? (JSON.parse(readFileSync(DATA, 'utf8')) as { cases: LabelledCase[] }).cases.flatMap((c) => [...c.true_positives, ...c.false_positives])
  : []

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-=:,"\'` \t\n<>/~+;()[]{}|?$'
const PIECES = [
  'key', 'KEY', 'api_key', 'apiKey', 'token', 'secret', 'password', 'passwd', 'auth', 'access', 'creds', 'credential',
  'secret_access_key', 'aws_secret', 'accountkey', ' = ', ': ', ' => ', ', ', '"', "'", '\n', '<apiToken>', '</apiToken>',
  'ghp_', 'GHP_', 'xoxb-', 'xoxe.', 'AKIA', 'a3t', 'q~', 'Q~', 'eyJ', 'sk_live_', 'SG.', 'npm_', 'private key', 'hooks.slack.com/services/',
  '-----BEGIN RSA PRIVATE KEY-----\n', '\n-----END RSA PRIVATE KEY-----', 'é', 'ſ', '\u212a', '\u2028',
]

/** Seeded (LCG) random texts: corpus lines, pieces of secret syntax and noise, some lines long. */
function* randomTexts(count: number, seed: number): Generator<string> {
  let s = seed
  const rnd = () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x80000000 }
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
  for (let i = 0; i < count; i++) {
    let t = ''
    for (let parts = 1 + Math.floor(rnd() * 12); parts > 0; parts--) {
      const r = rnd()
      if (r < 0.3 && corpus.length > 0) t += pick(corpus)
      else if (r < 0.6) t += pick(PIECES)
      else for (let len = Math.floor(rnd() * (rnd() < 0.1 ? 800 : 40)); len > 0; len--) t += pick([...ALPHABET])
    }
    yield t
  }
}

const texts = () => [...corpus, ...randomTexts(4000, 7)]

describe('keyword finder', () => {
  const keywords = [...new Set([...DEFAULT_RULES, ...OPTIONAL_RULES].flatMap((r) => r.keywords))]
  const plain = new RegExp(keywords.sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi')
  const byRegExp = (t: string) => [...t.matchAll(plain)].map((m) => `${m.index}:${m[0].toLowerCase()}`)
  const finder = createKeywordFinder(keywords)
  const byFinder = (t: string) => { const out: string[] = []; finder.forEach(t, (at, k) => out.push(`${at}:${k}`)); return out }

  it('takes the longest keyword at the leftmost position, then goes on after it', () => {
    const f = createKeywordFinder(['secret', 'secret_access_key', 'key', 'access'])
    const out: string[] = []
    f.forEach('SECRET_ACCESS_KEY secret_key', (at, k) => out.push(`${at}:${k}`))
    expect(out).toEqual(['0:secret_access_key', '18:secret', '25:key'])
  })

  it('matches ASCII letters in either case and nothing else, at odd and even places, to the last character', () => {
    // ū (U+016B) and ſ read as 'k' and 0x7F in the one-byte copy; the Kelvin sign is not K without the u flag.
    for (const t of ['ūey key', 'ſecret', '\u212aey', 'xq~', 'q~', 'aq~', 'KEY', 'xKEY', 'ke', 'x', '', 'tokenkey', 'a'.repeat(1001) + 'key']) {
      expect(byFinder(t), JSON.stringify(t)).toEqual(byRegExp(t))
    }
  })

  it('reads a text bigger than its kept scratch space, and a small one after it', () => {
    const big = 'x'.repeat(5 * 1024 * 1024 + 1) + ' Api_Key=1 q~'
    expect(byFinder(big)).toEqual(byRegExp(big))
    expect(byFinder('token')).toEqual(['0:token'])
  })

  it('finds exactly what the plain longest-first alternation finds', () => {
    let found = 0
    for (const t of texts()) {
      const m = byFinder(t)
      expect(m).toEqual(byRegExp(t))
      found += m.length
    }
    expect(found).toBeGreaterThan(1000)
  })
})

describe('implied patterns and openings', () => {
  const withImplied = DEFAULT_RULES.filter((r) => r.implied !== undefined)

  it('every match of a rule has its implied match within reach', () => {
    expect(withImplied.length).toBeGreaterThan(0)
    let checked = 0
    for (const rule of withImplied) {
      for (const t of texts()) {
        for (const m of t.matchAll(rule.pattern)) {
          const implied = new RegExp(rule.implied!.pattern.source, rule.implied!.pattern.flags.replace('g', '') + 'y')
          let ok = false
          for (let p = m.index; p <= m.index + rule.implied!.within && !ok; p++) { implied.lastIndex = p; ok = implied.test(t) }
          expect(ok, `${rule.id} at ${m.index} of ${JSON.stringify(t)}`).toBe(true)
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(500)
  })

  it('every match of a rule begins with its opening', () => {
    const withOpening = DEFAULT_RULES.filter((r) => r.opening !== undefined)
    expect(withOpening.length).toBeGreaterThan(0)
    let checked = 0
    for (const rule of withOpening) {
      for (const t of [...texts(), '<apiToken>Zt7Demo4c9Xv2LqP8sW1mN6bR3</apiToken>']) {
        for (const m of t.matchAll(rule.pattern)) {
          expect(t.startsWith(rule.opening!, m.index), `${rule.id} at ${m.index} of ${JSON.stringify(t)}`).toBe(true)
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(20)
  })

  it('a scan finds the same with and without them', () => {
    const key = new Uint8Array(32)
    const fast = createSecretScanner({ hmacKey: key })
    const slow = createSecretScanner({ hmacKey: key, rules: DEFAULT_RULES.map(({ implied: _, opening: __, ...rule }) => rule) })
    let hits = 0
    for (const t of texts()) {
      const h = fast.scan(t, 'a.txt')
      expect(h).toEqual(slow.scan(t, 'a.txt'))
      hits += h.length
    }
    expect(hits).toBeGreaterThan(300)
  })
})
