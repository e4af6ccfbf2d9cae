// Elixir / Erlang: mix.lock, an Elixir map literal `%{"dep": {:hex, :name, "version",
// "checksum", …}, …}`. Only the leading elements of each tuple matter, so the rest of every
// term is skipped by bracket matching instead of being evaluated.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'

const ECOSYSTEM = 'Hex'

type Term = { kind: 'atom' | 'string' | 'other', value: string }

class TermReader {
  pos = 0
  readonly text: string
  constructor(text: string) { this.text = text }

  fail(what: string): never {
    let line = 1
    for (let i = 0; i < this.pos && i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) line++
    throw new LockfileError('bad-syntax', `mix.lock line ${line}: ${what}`)
  }

  /** Skips whitespace and `#` comments; returns the next character code (NaN at the end). */
  peek(): number {
    const t = this.text
    for (;;) {
      const c = t.charCodeAt(this.pos)
      if (c === 32 || c === 10 || c === 13 || c === 9) { this.pos++; continue }
      if (c === 35) {
        const nl = t.indexOf('\n', this.pos)
        this.pos = nl === -1 ? t.length : nl
        continue
      }
      return c
    }
  }

  expect(s: string): void {
    this.peek()
    if (!this.text.startsWith(s, this.pos)) this.fail(`expected '${s}'`)
    this.pos += s.length
  }

  string(): string {
    const t = this.text
    let i = this.pos + 1
    let out = ''
    let chunk = i
    while (i < t.length) {
      const c = t.charCodeAt(i)
      if (c === 34) { this.pos = i + 1; return out + t.slice(chunk, i) }
      if (c === 92) { out += t.slice(chunk, i) + (t[i + 1] ?? ''); i += 2; chunk = i; continue }
      i++
    }
    return this.fail('unterminated string')
  }

  /** Skips a list, tuple or map, whose contents (strings aside) are only brackets to match. */
  skipNested(): void {
    const t = this.text
    let depth = 0
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos)
      if (c === 34) { this.string(); continue }
      if (c === 91 || c === 123) depth++
      else if (c === 93 || c === 125) {
        depth--
        if (depth === 0) { this.pos++; return }
      }
      this.pos++
    }
    this.fail('unclosed bracket')
  }

  term(): Term {
    const c = this.peek()
    const t = this.text
    if (c === 34) return { kind: 'string', value: this.string() }
    if (c === 58 /* : */) {
      this.pos++
      if (t.charCodeAt(this.pos) === 34) return { kind: 'atom', value: this.string() }
      const start = this.pos
      while (this.pos < t.length && isAtomChar(t.charCodeAt(this.pos))) this.pos++
      if (this.pos === start) this.fail('empty atom')
      return { kind: 'atom', value: t.slice(start, this.pos) }
    }
    if (c === 37 /* % */) { this.pos++; this.skipNested(); return { kind: 'other', value: '' } }
    if (c === 91 || c === 123) { this.skipNested(); return { kind: 'other', value: '' } }
    const start = this.pos
    while (this.pos < t.length) {
      const d = t.charCodeAt(this.pos)
      if (d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9) break
      this.pos++
    }
    if (this.pos === start) this.fail('expected a term')
    return { kind: 'other', value: t.slice(start, this.pos) }
  }

  /** The elements of a tuple `{a, b, …}`; a trailing empty element (`{:hex, }`) ends it. */
  tuple(): Term[] {
    this.expect('{')
    const items: Term[] = []
    for (;;) {
      if (this.peek() === 125) { this.pos++; return items }
      items.push(this.term())
      const c = this.peek()
      if (c === 44) { this.pos++; continue }
      if (c === 125) { this.pos++; return items }
      this.fail("expected ',' or '}' in a tuple")
    }
  }
}

function isAtomChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 64 || c === 63 || c === 33
}

function parseMixLock(text: string, ctx: ParseContext): Package[] {
  const r = new TermReader(text)
  if (Number.isNaN(r.peek())) return []
  r.expect('%{')
  const out: Package[] = []
  for (;;) {
    const c = r.peek()
    if (c === 125) { r.pos++; break }
    if (c !== 34) r.fail('expected a dependency name')
    const key = r.string()
    // `"dep": {…}` since Elixir 1.6 formats maps; older mix wrote `"dep" => {…}`.
    r.peek()
    if (r.text.startsWith('=>', r.pos)) r.pos += 2
    else r.expect(':')
    const t = r.tuple()
    if (r.peek() === 44) r.pos++
    const [kind, second, third, fourth] = t
    if (kind?.kind !== 'atom') continue
    let p: Package | undefined
    if (kind.value === 'hex' && second?.kind === 'atom' && third?.kind === 'string') {
      // The atom is the package's name on Hex; the map key may be a local alias for it.
      p = { ecosystem: ECOSYSTEM, name: second.value, version: third.value, source: ctx.path }
      if (fourth?.kind === 'string') p.commit = fourth.value
    } else if (kind.value === 'git' && third?.kind === 'string') {
      p = { ecosystem: ECOSYSTEM, name: key, version: '', source: ctx.path, commit: third.value }
    }
    // Anything else (a truncated tuple, an unknown SCM) names no installable version.
    if (p) out.push(p)
  }
  if (!Number.isNaN(r.peek())) r.fail('text after the closing brace')
  return out
}

export const mixLock: LockfileParser = {
  id: 'mix-lock',
  matches: named('mix.lock'),
  parse: parseMixLock,
}
