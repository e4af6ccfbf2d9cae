// A TOML 1.0 reader for lockfiles that decodes only what its caller asks for. Python lockfiles
// are mostly wheel lists and hashes nobody reads; a full TOML tree (smol-toml) spends its time
// building them. This walks past every value checking that it is well-formed TOML (strings
// closed, brackets matched, one statement per line), and decodes a value only when asked.
// Not checked: duplicate keys and tables, control characters inside strings.
import { LockfileError } from '../parser.ts'
import { newTable, setDotted, type TomlTable, type TomlValue } from './toml-table.ts'
import { scalarOf, trimFirstNewline, unescape } from './toml-strings.ts'

export type { TomlTable, TomlValue } from './toml-table.ts'

export interface TomlHandler {
  /** A `[table]` header (array false) or `[[array.of.tables]]` header (array true). */
  table(path: string[], array: boolean): void
  /** A `key = value` line of the current table; the value spans `at`…`end` (see decodeTomlValue). */
  pair(key: string[], at: number, end: number): void
}

/** Walks a whole document, reporting headers and pairs in order; throws LockfileError('bad-syntax'). */
export function scanToml(text: string, format: string, handler: TomlHandler): void {
  new TomlScanner(text, format).document(handler)
}

/** The value at `at`…`end` (positions handed to TomlHandler.pair), decoded. */
export function decodeTomlValue(text: string, at: number, end: number, format: string): TomlValue {
  // Its own scanner over just the value: the forward-only searches of a scanner must not
  // run past the value into the rest of the document.
  const s = new TomlScanner(text.slice(at, end), format, text, at)
  return s.decode(0)
}

const MAX_DEPTH = 64

const TAB = 9, LF = 10, CR = 13, SPACE = 32, QUOTE = 34, HASH = 35, APOS = 39, COMMA = 44
const DOT = 46, EQUALS = 61, LBRACKET = 91, BACKSLASH = 92, RBRACKET = 93, LBRACE = 123, RBRACE = 125

/** Characters of bare keys: A-Z a-z 0-9 _ - */
const BARE = new Uint8Array(128)
/** Characters of unquoted values (numbers, booleans, dates): bare-key characters and + . : */
const SCALAR = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const bare = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45
  BARE[c] = bare ? 1 : 0
  SCALAR[c] = bare || c === 43 || c === 46 || c === 58 ? 1 : 0
}


class TomlScanner {
  readonly text: string
  readonly format: string
  /** The whole document and where `text` starts in it, for line numbers in errors. */
  readonly #document: string
  readonly #offset: number
  pos = 0
  /** Next newline / backslash at or after some earlier position: both only move forward. */
  #newline = -1
  #backslash = -1

  constructor(text: string, format: string, document = text, offset = 0) {
    this.text = text
    this.format = format
    this.#document = document
    this.#offset = offset
  }

  fail(message: string): never {
    const doc = this.#document
    const pos = this.pos + this.#offset
    let line = 1
    for (let i = doc.indexOf('\n'); i !== -1 && i < pos; i = doc.indexOf('\n', i + 1)) line++
    throw new LockfileError('bad-syntax', `${this.format}: not valid TOML (line ${line}): ${message}`)
  }

  document(handler: TomlHandler): void {
    const t = this.text
    const n = t.length
    while (this.pos < n) {
      this.skipBlank()
      if (this.pos >= n) break
      const c = t.charCodeAt(this.pos)
      if (c === LF) { this.pos++; continue }
      if (c === CR || c === HASH) { this.lineEnd(); continue }
      if (c === LBRACKET) {
        const array = t.charCodeAt(this.pos + 1) === LBRACKET
        this.pos += array ? 2 : 1
        this.skipBlank()
        const path = this.key()
        if (t.charCodeAt(this.pos) !== RBRACKET || (array && t.charCodeAt(this.pos + 1) !== RBRACKET)) {
          this.fail(array ? "expected ']]' after the table name" : "expected ']' after the table name")
        }
        this.pos += array ? 2 : 1
        this.lineEnd()
        handler.table(path, array)
        continue
      }
      const key = this.key()
      if (t.charCodeAt(this.pos) !== EQUALS) this.fail(`expected '=' after key '${key.join('.')}'`)
      this.pos++
      this.skipBlank()
      const at = this.pos
      this.skipValue(0)
      const end = this.pos
      this.lineEnd()
      handler.pair(key, at, end)
    }
  }

  skipBlank(): void {
    const t = this.text
    let c = t.charCodeAt(this.pos)
    while (c === SPACE || c === TAB) c = t.charCodeAt(++this.pos)
  }

  /** Blanks, newlines and comments: the space between array items. */
  skipSpace(): void {
    const t = this.text
    for (;;) {
      const c = t.charCodeAt(this.pos)
      if (c === SPACE || c === TAB || c === LF || c === CR) this.pos++
      else if (c === HASH) this.pos = this.newlineAt(this.pos)
      else return
    }
  }

  /** After a statement: blanks, an optional comment, then a newline or the end. */
  lineEnd(): void {
    this.skipBlank()
    const t = this.text
    let c = t.charCodeAt(this.pos)
    if (c === HASH) {
      this.pos = this.newlineAt(this.pos)
      c = t.charCodeAt(this.pos)
    }
    if (c === CR && t.charCodeAt(this.pos + 1) === LF) { this.pos += 2; return }
    if (c === LF) { this.pos++; return }
    if (this.pos >= t.length) return
    this.fail(`unexpected '${t[this.pos]}' after a statement`)
  }

  newlineAt(from: number): number {
    if (this.#newline < from) {
      const i = this.text.indexOf('\n', from)
      this.#newline = i === -1 ? this.text.length : i
    }
    return this.#newline
  }

  backslashAt(from: number): number {
    if (this.#backslash < from) {
      const i = this.text.indexOf('\\', from)
      this.#backslash = i === -1 ? this.text.length : i
    }
    return this.#backslash
  }

  /** A dotted key, with blanks around the dots; leaves pos after trailing blanks. */
  key(): string[] {
    const out: string[] = []
    for (;;) {
      out.push(this.keyPart())
      this.skipBlank()
      if (this.text.charCodeAt(this.pos) !== DOT) return out
      this.pos++
      this.skipBlank()
    }
  }

  keyPart(): string {
    const t = this.text
    const start = this.pos
    const c = t.charCodeAt(start)
    if (c === QUOTE) {
      if (t.charCodeAt(start + 1) === QUOTE && t.charCodeAt(start + 2) === QUOTE) this.fail('a key cannot be a multi-line string')
      this.pos = this.basicEnd(start)
      return unescape((m) => this.fail(m), t.slice(start + 1, this.pos - 1), false)
    }
    if (c === APOS) {
      this.pos = this.literalEnd(start)
      return t.slice(start + 1, this.pos - 1)
    }
    this.skipBareKey()
    return t.slice(start, this.pos)
  }

  skipBareKey(): void {
    const t = this.text
    const start = this.pos
    let c = t.charCodeAt(this.pos)
    while (c < 128 && BARE[c] === 1) c = t.charCodeAt(++this.pos)
    if (this.pos === start) this.fail(Number.isNaN(c) ? 'expected a key before the end' : `expected a key, found '${t[start]}'`)
  }

  /** A key inside an inline table we are walking past: checked, not built. */
  skipKey(): void {
    const t = this.text
    for (;;) {
      const c = t.charCodeAt(this.pos)
      if (c === QUOTE) this.pos = this.basicEnd(this.pos)
      else if (c === APOS) this.pos = this.literalEnd(this.pos)
      else this.skipBareKey()
      this.skipBlank()
      if (t.charCodeAt(this.pos) !== DOT) return
      this.pos++
      this.skipBlank()
    }
  }

  /** End (exclusive) of the one-line basic string opening at `start`. */
  basicEnd(start: number): number {
    const t = this.text
    let i = start + 1
    for (;;) {
      const quote = t.indexOf('"', i)
      const newline = this.newlineAt(i)
      if (quote === -1 || newline < quote) { this.pos = start; this.fail('unterminated string') }
      const backslash = this.backslashAt(i)
      if (backslash > quote) return quote + 1
      // An escape: the character after the backslash never ends the string, nor may it end the line.
      const escaped = t.charCodeAt(backslash + 1)
      if (escaped === LF || escaped === CR) { this.pos = start; this.fail('unterminated string') }
      i = backslash + 2
    }
  }

  literalEnd(start: number): number {
    const quote = this.text.indexOf("'", start + 1)
    if (quote === -1 || this.newlineAt(start + 1) < quote) { this.pos = start; this.fail('unterminated string') }
    return quote + 1
  }

  /** End (exclusive) of the multi-line string opening at `start` with `"""` or `'''`. */
  multiLineEnd(start: number, delimiter: string, escapes: boolean): number {
    const t = this.text
    let i = start + 3
    for (;;) {
      let close = t.indexOf(delimiter, i)
      if (close === -1) { this.pos = start; this.fail('unterminated multi-line string') }
      if (escapes) {
        const backslash = this.backslashAt(i)
        if (backslash < close) { i = backslash + 2; continue }
      }
      // Up to two quotes of the content may sit right before the closing delimiter.
      const q = delimiter.charCodeAt(0)
      if (t.charCodeAt(close + 3) === q) close++
      if (t.charCodeAt(close + 3) === q) close++
      return close + 3
    }
  }

  skipValue(depth: number): void {
    const t = this.text
    const c = t.charCodeAt(this.pos)
    if (c === QUOTE) {
      this.pos = t.charCodeAt(this.pos + 1) === QUOTE && t.charCodeAt(this.pos + 2) === QUOTE
        ? this.multiLineEnd(this.pos, '"""', true)
        : this.basicEnd(this.pos)
    } else if (c === APOS) {
      this.pos = t.charCodeAt(this.pos + 1) === APOS && t.charCodeAt(this.pos + 2) === APOS
        ? this.multiLineEnd(this.pos, "'''", false)
        : this.literalEnd(this.pos)
    } else if (c === LBRACKET) {
      if (depth >= MAX_DEPTH) this.fail('values nested too deeply')
      this.pos++
      for (;;) {
        this.skipSpace()
        if (t.charCodeAt(this.pos) === RBRACKET) break
        this.skipValue(depth + 1)
        this.skipSpace()
        const d = t.charCodeAt(this.pos)
        if (d === COMMA) { this.pos++; continue }
        if (d === RBRACKET) break
        this.fail("expected ',' or ']' in an array")
      }
      this.pos++
    } else if (c === LBRACE) {
      if (depth >= MAX_DEPTH) this.fail('values nested too deeply')
      this.pos++
      // Newlines inside inline tables are TOML 1.1; lockfile writers may use them.
      this.skipSpace()
      if (t.charCodeAt(this.pos) !== RBRACE) {
        for (;;) {
          this.skipKey()
          if (t.charCodeAt(this.pos) !== EQUALS) this.fail("expected '=' in an inline table")
          this.pos++
          this.skipBlank()
          this.skipValue(depth + 1)
          this.skipSpace()
          const d = t.charCodeAt(this.pos)
          if (d === RBRACE) break
          if (d !== COMMA) this.fail("expected ',' or '}' in an inline table")
          this.pos++
          this.skipSpace()
          if (t.charCodeAt(this.pos) === RBRACE) break
        }
      }
      this.pos++
    } else {
      this.skipScalar()
    }
  }

  /** An unquoted value: number, boolean, date or time, walked past and checked for shape (no copy). */
  skipScalar(): void {
    const t = this.text
    const start = this.pos
    let c = t.charCodeAt(this.pos)
    while (c < 128 && SCALAR[c] === 1) c = t.charCodeAt(++this.pos)
    // `1979-05-27 07:32:00`: a date and a time may be separated by a space.
    if (c === SPACE && this.pos - start === 10 && t.charCodeAt(start + 4) === 45 && t.charCodeAt(start + 7) === 45) {
      const d = t.charCodeAt(this.pos + 1)
      if (d >= 48 && d <= 57) {
        c = t.charCodeAt(++this.pos)
        while (c < 128 && SCALAR[c] === 1) c = t.charCodeAt(++this.pos)
      }
    }
    const len = this.pos - start
    if (len === 0) { this.pos = start; this.fail(Number.isNaN(c) ? 'missing value' : `unexpected '${t[start]}' where a value belongs`) }
    const first = t.charCodeAt(start)
    if ((first >= 48 && first <= 57) || first === 43 || first === 45) return
    const word = len <= 5 ? t.slice(start, this.pos) : ''
    if (word === 'true' || word === 'false' || word === 'inf' || word === 'nan') return
    this.pos = start
    this.fail(`'${len > 20 ? t.slice(start, start + 20) + '…' : t.slice(start, start + len)}' is not a value`)
  }

  decode(depth: number): TomlValue {
    const t = this.text
    const start = this.pos
    const c = t.charCodeAt(start)
    if (c === QUOTE) {
      if (t.charCodeAt(start + 1) === QUOTE && t.charCodeAt(start + 2) === QUOTE) {
        this.pos = this.multiLineEnd(start, '"""', true)
        return unescape((m) => this.fail(m), trimFirstNewline(t.slice(start + 3, this.pos - 3)), true)
      }
      this.pos = this.basicEnd(start)
      return unescape((m) => this.fail(m), t.slice(start + 1, this.pos - 1), false)
    }
    if (c === APOS) {
      if (t.charCodeAt(start + 1) === APOS && t.charCodeAt(start + 2) === APOS) {
        this.pos = this.multiLineEnd(start, "'''", false)
        return trimFirstNewline(t.slice(start + 3, this.pos - 3))
      }
      this.pos = this.literalEnd(start)
      return t.slice(start + 1, this.pos - 1)
    }
    if (c === LBRACKET) {
      if (depth >= MAX_DEPTH) this.fail('values nested too deeply')
      const out: TomlValue[] = []
      this.pos++
      for (;;) {
        this.skipSpace()
        if (t.charCodeAt(this.pos) === RBRACKET) break
        out.push(this.decode(depth + 1))
        this.skipSpace()
        const d = t.charCodeAt(this.pos)
        if (d === COMMA) { this.pos++; continue }
        if (d === RBRACKET) break
        this.fail("expected ',' or ']' in an array")
      }
      this.pos++
      return out
    }
    if (c === LBRACE) {
      if (depth >= MAX_DEPTH) this.fail('values nested too deeply')
      const out = newTable()
      this.pos++
      this.skipSpace()
      if (t.charCodeAt(this.pos) !== RBRACE) {
        for (;;) {
          const key = this.key()
          if (t.charCodeAt(this.pos) !== EQUALS) this.fail("expected '=' in an inline table")
          this.pos++
          this.skipBlank()
          setDotted(out, key, this.decode(depth + 1))
          this.skipSpace()
          const d = t.charCodeAt(this.pos)
          if (d === RBRACE) break
          if (d !== COMMA) this.fail("expected ',' or '}' in an inline table")
          this.pos++
          this.skipSpace()
          if (t.charCodeAt(this.pos) === RBRACE) break
        }
      }
      this.pos++
      return out
    }
    return this.scalarValue()
  }

  scalarValue(): TomlValue {
    const start = this.pos
    this.skipScalar()
    const token = this.text.slice(start, this.pos)
    const value = scalarOf(token)
    if (value !== undefined) return value
    this.pos = start
    return this.fail(`'${token}' is not a number`)
  }
}
