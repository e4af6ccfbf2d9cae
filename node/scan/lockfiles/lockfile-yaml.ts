// The YAML that pnpm and Yarn Berry write: block mappings, block sequences of scalars, and
// one-line flow collections (`resolution: {integrity: …}`, `cpu: [x64]`) of plain or quoted
// scalars. Reading that subset directly is many times faster than a general YAML parser and
// a lockfile is mostly nothing else. Text outside it (anchors, tags, block or multi-line
// scalars, flow collections over several lines) goes to the full parser instead, so unusual
// but valid files still read and broken ones get the full parser's diagnosis.
import YAML from 'yaml'
import { LockfileError } from './parser.ts'

/** Scalars stay strings (the YAML failsafe schema): `1.10` never becomes the number 1.1. */
export type YamlValue = string | null | YamlMap | YamlValue[]
export interface YamlMap { [key: string]: YamlValue }

export function isYamlMap(v: unknown): v is YamlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A string-valued field of a map, or undefined. */
export function yamlString(map: YamlMap, key: string): string | undefined {
  const v = Object.hasOwn(map, key) ? map[key] : undefined
  return typeof v === 'string' ? v : undefined
}

/** A map-valued field of a map, or undefined. */
export function yamlMap(map: YamlMap, key: string): YamlMap | undefined {
  const v = Object.hasOwn(map, key) ? map[key] : undefined
  return isYamlMap(v) ? v : undefined
}

/** The (last) document of a lockfile; pnpm may put an environment document before it. */
export function parseLockfileYaml(text: string, format: string): YamlValue {
  const fast = readSubset(text)
  if (fast !== undefined) return fast
  let docs: YAML.Document[]
  try {
    docs = YAML.parseAllDocuments(text, { schema: 'failsafe' }) as YAML.Document[]
  } catch (err) {
    throw new LockfileError('bad-syntax', `${format}: not valid YAML: ${(err as Error).message}`, { cause: err })
  }
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new LockfileError('bad-syntax', `${format}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`)
  }
  const last = docs.at(-1)
  if (last === undefined) return null
  try {
    return (last.toJS({ maxAliasCount: 1000 }) ?? null) as YamlValue
  } catch (err) {
    throw new LockfileError('bad-syntax', `${format}: not valid YAML: ${(err as Error).message}`, { cause: err })
  }
}

function newMap(): YamlMap {
  // Keys are data: `__proto__` in a lockfile must stay a key, not become a prototype.
  return Object.create(null) as YamlMap
}

/** Thrown inside the fast reader when the text leaves the subset. */
const OUTSIDE = Symbol('outside the subset')

interface Frame { indent: number, map?: YamlMap, seq?: YamlValue[] }

/** The last document when it is within the subset; undefined when it is anything else. */
export function readSubset(text: string): YamlValue | undefined {
  try {
    return read(text)
  } catch (err) {
    if (err === OUTSIDE) return undefined
    throw err
  }
}

function read(text: string): YamlValue {
  let root: YamlValue = null
  let stack: Frame[] = []
  // A `key:` with nothing after it: its value is whatever the next lines nest under it.
  let pending: { map: YamlMap, key: string, indent: number } | undefined
  let start = 0
  const n = text.length
  while (start < n) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = n
    let lineEnd = end
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--
    let i = start
    while (i < lineEnd && text.charCodeAt(i) === 32) i++
    const lineStart = start
    start = end + 1
    if (i === lineEnd || text.charCodeAt(i) === 35 /* # */) continue
    if (text.charCodeAt(i) === 9) throw OUTSIDE // tabs may not indent YAML
    const indent = i - lineStart
    if (indent === 0 && text.startsWith('---', i) && (i + 3 === lineEnd || text.charCodeAt(i + 3) === 32)) {
      if (pending) pending.map[pending.key] = null
      if (i + 3 !== lineEnd && text.slice(i + 3, lineEnd).trim() !== '') throw OUTSIDE
      // A new document: only the last one is kept.
      root = null
      stack = []
      pending = undefined
      continue
    }
    if (indent === 0 && text.startsWith('...', i)) throw OUTSIDE
    const isItem = text.charCodeAt(i) === 45 /* - */ && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)

    if (pending) {
      // A sequence may sit at its key's own indentation (`key:\n- a`).
      if (indent > pending.indent || (isItem && indent === pending.indent)) {
        const frame: Frame = isItem ? { indent, seq: [] } : { indent, map: newMap() }
        pending.map[pending.key] = frame.seq ?? frame.map!
        stack.push(frame)
      } else {
        pending.map[pending.key] = null
      }
      pending = undefined
    } else if (stack.length === 0) {
      if (isItem) throw OUTSIDE // a lockfile is a mapping at its top
      const map = newMap()
      root = map
      stack.push({ indent, map })
    }
    while (stack.length > 1 && indent < stack[stack.length - 1]!.indent) stack.pop()
    let top = stack[stack.length - 1]!
    // A compact sequence (at its key's indentation) ends at the next key of that map.
    if (top.seq && !isItem && indent === top.indent && stack.length > 1) { stack.pop(); top = stack[stack.length - 1]! }
    if (indent !== top.indent) throw OUTSIDE // continuation lines, odd indentation

    if (top.seq) {
      if (!isItem) throw OUTSIDE
      let j = i + 1
      while (j < lineEnd && text.charCodeAt(j) === 32) j++
      if (j === lineEnd) throw OUTSIDE // a nested block as an item
      top.seq.push(readBlockValue(text, j, lineEnd))
      continue
    }
    if (isItem) throw OUTSIDE
    const map = top.map!
    let key: string
    const c = text.charCodeAt(i)
    if (c === 34 || c === 39) {
      const q = readQuoted(text, i, lineEnd)
      key = q.value
      i = q.end
      if (text.charCodeAt(i) !== 58 /* : */) throw OUTSIDE
    } else {
      if (c === 63 /* ? */ || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 37 || c === 64 || c === 96 || c === 123 || c === 91) throw OUTSIDE
      const keyStart = i
      while (i < lineEnd && !(text.charCodeAt(i) === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32))) i++
      if (i === lineEnd) throw OUTSIDE
      key = text.slice(keyStart, i).trimEnd()
    }
    if (Object.hasOwn(map, key)) throw OUTSIDE // a duplicate key: the full parser reports it
    i++
    while (i < lineEnd && text.charCodeAt(i) === 32) i++
    if (i === lineEnd || text.charCodeAt(i) === 35) pending = { map, key, indent }
    else map[key] = readBlockValue(text, i, lineEnd)
  }
  if (pending) pending.map[pending.key] = null
  return root
}

/** Skips spaces; true when only a comment or nothing is left on the line. */
function restIsEmpty(text: string, i: number, lineEnd: number): boolean {
  while (i < lineEnd && text.charCodeAt(i) === 32) i++
  return i === lineEnd || text.charCodeAt(i) === 35
}

function readBlockValue(text: string, i: number, lineEnd: number): YamlValue {
  const c = text.charCodeAt(i)
  if (c === 34 || c === 39) {
    const q = readQuoted(text, i, lineEnd)
    if (!restIsEmpty(text, q.end, lineEnd)) throw OUTSIDE
    return q.value
  }
  if (c === 123 || c === 91) {
    const f = readFlow(text, i, lineEnd)
    if (!restIsEmpty(text, f.end, lineEnd)) throw OUTSIDE
    return f.value
  }
  // Anchors, aliases, tags, block scalars, directives, reserved and other indicators.
  if (c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 37 || c === 64 || c === 96 || c === 125 || c === 93 || c === 44) throw OUTSIDE
  if ((c === 63 || c === 58 || c === 45) && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) throw OUTSIDE
  let end = lineEnd
  for (let j = i; j < lineEnd; j++) {
    const d = text.charCodeAt(j)
    if (d === 35 && text.charCodeAt(j - 1) === 32) { end = j; break }
    // `a: b: c` is an error in YAML; leave it to the full parser to say so.
    if (d === 58 && (j + 1 === lineEnd || text.charCodeAt(j + 1) === 32)) throw OUTSIDE
  }
  return text.slice(i, end).trimEnd()
}

function readQuoted(text: string, i: number, lineEnd: number): { value: string, end: number } {
  const q = text.charCodeAt(i)
  let j = i + 1
  let value = ''
  let chunk = j
  while (j < lineEnd) {
    const c = text.charCodeAt(j)
    if (c === q) {
      if (q === 39 && text.charCodeAt(j + 1) === 39) { value += text.slice(chunk, j + 1); j += 2; chunk = j; continue }
      return { value: value + text.slice(chunk, j), end: j + 1 }
    }
    if (c === 92 && q === 34) {
      value += text.slice(chunk, j)
      const e = text[j + 1]
      if (e === '"' || e === '\\' || e === '/') value += e
      else if (e === 'n') value += '\n'
      else if (e === 't') value += '\t'
      else throw OUTSIDE // rarer escapes: the full parser knows them all
      j += 2
      chunk = j
      continue
    }
    j++
  }
  throw OUTSIDE // a quoted scalar continued on the next line
}

function skipSpaces(text: string, i: number, lineEnd: number): number {
  while (i < lineEnd && text.charCodeAt(i) === 32) i++
  return i
}

/** A flow collection that opens and closes on this line. */
function readFlow(text: string, i: number, lineEnd: number): { value: YamlValue, end: number } {
  const isMap = text.charCodeAt(i) === 123
  const close = isMap ? 125 : 93
  const map = isMap ? newMap() : undefined
  const seq: YamlValue[] | undefined = isMap ? undefined : []
  i = skipSpaces(text, i + 1, lineEnd)
  if (text.charCodeAt(i) === close) return { value: map ?? seq!, end: i + 1 }
  for (;;) {
    if (isMap) {
      const k = readFlowScalar(text, i, lineEnd, true)
      i = skipSpaces(text, k.end, lineEnd)
      if (text.charCodeAt(i) !== 58) throw OUTSIDE
      i = skipSpaces(text, i + 1, lineEnd)
      const v = readFlowItem(text, i, lineEnd)
      if (Object.hasOwn(map!, k.value)) throw OUTSIDE
      map![k.value] = v.value
      i = v.end
    } else {
      const v = readFlowItem(text, i, lineEnd)
      seq!.push(v.value)
      i = v.end
    }
    i = skipSpaces(text, i, lineEnd)
    const c = text.charCodeAt(i)
    if (c === close) return { value: map ?? seq!, end: i + 1 }
    if (c !== 44) throw OUTSIDE
    i = skipSpaces(text, i + 1, lineEnd)
    if (text.charCodeAt(i) === close) return { value: map ?? seq!, end: i + 1 } // trailing comma
  }
}

function readFlowItem(text: string, i: number, lineEnd: number): { value: YamlValue, end: number } {
  const c = text.charCodeAt(i)
  if (c === 123 || c === 91) return readFlow(text, i, lineEnd)
  return readFlowScalar(text, i, lineEnd, false)
}

function readFlowScalar(text: string, i: number, lineEnd: number, isKey: boolean): { value: string, end: number } {
  const c = text.charCodeAt(i)
  if (c === 34 || c === 39) return readQuoted(text, i, lineEnd)
  if (i >= lineEnd || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 37 || c === 64 || c === 96 || c === 35 || c === 123 || c === 91) throw OUTSIDE
  let j = i
  for (; j < lineEnd; j++) {
    const d = text.charCodeAt(j)
    if (d === 44 || d === 125 || d === 93) break
    if (d === 58) {
      const e = j + 1 < lineEnd ? text.charCodeAt(j + 1) : 32
      if (e === 32 || e === 44 || e === 125 || e === 93) break
    }
    if (d === 35 && text.charCodeAt(j - 1) === 32) throw OUTSIDE
  }
  const value = text.slice(i, j).trimEnd()
  // An empty key or value, or a `:` ending a value, is beyond what lockfiles write.
  if (value === '' || (!isKey && text.charCodeAt(j) === 58)) throw OUTSIDE
  return { value, end: j }
}
