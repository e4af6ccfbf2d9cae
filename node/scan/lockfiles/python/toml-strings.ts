// TOML text to values: string bodies (the newline right after an opening multi-line delimiter,
// escapes, line-ending backslashes in multi-line basic strings; errors go to the caller's
// `fail`) and bare scalars (booleans, numbers in every TOML form, dates and times as text).
const LF = 10, CR = 13

export function trimFirstNewline(s: string): string {
  if (s.charCodeAt(0) === LF) return s.slice(1)
  if (s.charCodeAt(0) === CR && s.charCodeAt(1) === LF) return s.slice(2)
  return s
}

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' }

/** Resolves the escapes of a basic string body; `multiLine` allows line-ending backslashes. */
export function unescape(fail: (message: string) => never, raw: string, multiLine: boolean): string {
  let i = raw.indexOf('\\')
  if (i === -1) return raw
  let out = ''
  let from = 0
  while (i !== -1) {
    out += raw.slice(from, i)
    const e = raw[i + 1] ?? ''
    let next = i + 2
    const simple = ESCAPES[e]
    if (simple !== undefined) {
      out += simple
    } else if (e === 'u' || e === 'U' || e === 'x') {
      const len = e === 'u' ? 4 : e === 'U' ? 8 : 2
      const hex = raw.slice(i + 2, i + 2 + len)
      const code = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === len ? Number.parseInt(hex, 16) : -1
      if (code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) fail(`bad escape '\\${e}${hex}'`)
      out += String.fromCodePoint(code)
      next = i + 2 + len
    } else if (multiLine && (e === ' ' || e === '\t' || e === '\n' || e === '\r')) {
      // A line-ending backslash eats the newline and the whitespace after it.
      let j = i + 1
      while (raw[j] === ' ' || raw[j] === '\t') j++
      if (raw[j] !== '\n' && !(raw[j] === '\r' && raw[j + 1] === '\n')) fail('a backslash may end a line but not sit before text')
      while (j < raw.length && (raw[j] === ' ' || raw[j] === '\t' || raw[j] === '\n' || raw[j] === '\r')) j++
      next = j
    } else {
      fail(`bad escape '\\${e}'`)
    }
    from = next
    i = raw.indexOf('\\', next)
  }
  return out + raw.slice(from)
}

const DATE_OR_TIME = /^(?:\d{4}-\d{2}-\d{2}|\d{2}:\d{2})/
const INTEGER = /^[+-]?(?:0|[1-9](?:_?\d)*)$/
const FLOAT = /^[+-]?(?:0|[1-9](?:_?\d)*)(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?$/
const RADIX = /^0(?:x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|o[0-7](?:_?[0-7])*|b[01](?:_?[01])*)$/

/** A bare scalar token's value: true, false, a number, or a date/time as text; undefined if none. */
export function scalarOf(token: string): string | number | boolean | undefined {
  if (token === 'true') return true
  if (token === 'false') return false
  const sign = token.charCodeAt(0) === 45 ? -1 : 1
  const body = token.charCodeAt(0) === 43 || token.charCodeAt(0) === 45 ? token.slice(1) : token
  if (body === 'inf') return sign * Infinity
  if (body === 'nan') return Number.NaN
  // Dates and times stay text: no lockfile field we read needs them as Date.
  if (DATE_OR_TIME.test(token)) return token
  if (RADIX.test(token)) return Number.parseInt(token.slice(2).replaceAll('_', ''), token[1] === 'x' ? 16 : token[1] === 'o' ? 8 : 2)
  if (INTEGER.test(token) || FLOAT.test(token)) return Number(token.replaceAll('_', ''))
  return undefined
}
