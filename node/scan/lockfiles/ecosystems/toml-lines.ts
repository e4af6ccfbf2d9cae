// A line reader for the TOML that lockfile generators write (Cargo.lock): table headers,
// `key = value` pairs and arrays that may span lines. It decodes only what a lockfile parser
// asks for, so it runs at the speed of a line scan instead of building a full TOML tree, yet
// still rejects lines that are not TOML of this shape (conflict markers, truncated files).
import { LockfileError } from '../parser.ts'

export type TomlLine =
  | { kind: 'table', name: string, array: boolean }
  | { kind: 'pair', key: string, raw: string }

/**
 * Calls `onLine` for each header and each pair (with the raw value text, comment stripped);
 * values continued on later lines (arrays) are consumed here and handed over as their first line.
 */
export function readTomlLines(text: string, format: string, onLine: (line: TomlLine, lineNo: number) => void): void {
  const lines = text.split('\n')
  let arrayDepth = 0
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!
    const lineNo = li + 1
    if (arrayDepth > 0) {
      arrayDepth = scanValue(line, 0, arrayDepth, format, lineNo).depth
      continue
    }
    let i = skipSpace(line, 0)
    if (i === line.length || line.charCodeAt(i) === 35 /* # */) continue
    if (line.charCodeAt(i) === 91 /* [ */) {
      const array = line.charCodeAt(i + 1) === 91
      const close = line.indexOf(array ? ']]' : ']', i)
      if (close === -1) throw new LockfileError('bad-syntax', `${format} line ${lineNo}: unclosed table header`)
      const rest = skipSpace(line, close + (array ? 2 : 1))
      if (rest !== line.length && line.charCodeAt(rest) !== 35) {
        throw new LockfileError('bad-syntax', `${format} line ${lineNo}: text after table header`)
      }
      onLine({ kind: 'table', name: line.slice(i + (array ? 2 : 1), close).trim(), array }, lineNo)
      continue
    }
    let key: string
    if (line.charCodeAt(i) === 34 || line.charCodeAt(i) === 39) {
      const end = stringEnd(line, i, format, lineNo)
      key = decodeString(line.slice(i, end))
      i = end
    } else {
      const start = i
      while (i < line.length && isBareKeyChar(line.charCodeAt(i))) i++
      if (i === start) throw new LockfileError('bad-syntax', `${format} line ${lineNo}: expected a key`)
      key = line.slice(start, i)
    }
    i = skipSpace(line, i)
    if (line.charCodeAt(i) !== 61 /* = */) throw new LockfileError('bad-syntax', `${format} line ${lineNo}: expected '='`)
    const valueStart = skipSpace(line, i + 1)
    if (valueStart === line.length) throw new LockfileError('bad-syntax', `${format} line ${lineNo}: missing value`)
    const scanned = scanValue(line, valueStart, 0, format, lineNo)
    arrayDepth = scanned.depth
    onLine({ kind: 'pair', key, raw: line.slice(valueStart, scanned.end).trimEnd() }, lineNo)
  }
  if (arrayDepth > 0) throw new LockfileError('bad-syntax', `${format}: array not closed at end of file`)
}

/** The decoded string of a raw value, or undefined when the value is not a single string. */
export function tomlString(raw: string): string | undefined {
  const q = raw.charCodeAt(0)
  if (q !== 34 && q !== 39) return undefined
  return decodeString(raw)
}

function skipSpace(line: string, i: number): number {
  while (i < line.length) {
    const c = line.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 13) break
    i++
  }
  return i
}

function isBareKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46
}

/** Index just past the string starting at `start` (basic "…" or literal '…'). */
function stringEnd(line: string, start: number, format: string, lineNo: number): number {
  const q = line.charCodeAt(start)
  let i = start + 1
  while (i < line.length) {
    const c = line.charCodeAt(i)
    if (c === q) return i + 1
    if (c === 92 && q === 34) i++
    i++
  }
  throw new LockfileError('bad-syntax', `${format} line ${lineNo}: unterminated string`)
}

/**
 * Walks a value (or the continuation of an open array) to its end, tracking bracket depth
 * and skipping strings, so a `]` or `#` inside a string is not mistaken for structure.
 */
function scanValue(line: string, start: number, depth: number, format: string, lineNo: number): { end: number, depth: number } {
  let i = start
  let end = start
  while (i < line.length) {
    const c = line.charCodeAt(i)
    if (c === 34 || c === 39) { i = stringEnd(line, i, format, lineNo); end = i; continue }
    if (c === 35 /* # */) break
    if (c === 91 || c === 123) depth++
    else if (c === 93 || c === 125) {
      depth--
      if (depth < 0) throw new LockfileError('bad-syntax', `${format} line ${lineNo}: unbalanced '${line[i]}'`)
    }
    i++
    if (c !== 32 && c !== 9 && c !== 13) end = i
  }
  return { end, depth }
}

function decodeString(raw: string): string {
  const q = raw[0]!
  const body = raw.slice(1, raw.lastIndexOf(q))
  if (q === "'" || !body.includes('\\')) return body
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (c !== '\\') { out += c; continue }
    const e = body[++i]
    switch (e) {
      case 'n': out += '\n'; break
      case 't': out += '\t'; break
      case 'r': out += '\r'; break
      case 'b': out += '\b'; break
      case 'f': out += '\f'; break
      case 'u': out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 5), 16)); i += 4; break
      case 'U': out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 9), 16)); i += 8; break
      default: out += e ?? ''
    }
  }
  return out
}
