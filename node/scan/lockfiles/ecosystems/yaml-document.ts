// YAML lockfiles (pubspec.lock) are written by their tools as nested block mappings of
// scalars. Reading that subset directly is ~100x faster than a general YAML parser; any
// text outside it (flow collections, sequences, anchors, block scalars, odd indentation)
// goes to the full parser, so unusual but valid files still read and broken ones are named.
import YAML from 'yaml'
import { LockfileError } from '../parser.ts'

/** Scalars are strings (the YAML failsafe schema), so `1.10` never becomes the number 1.1. */
export type YamlValue = string | YamlMap | YamlValue[] | null
export interface YamlMap { [key: string]: YamlValue }

export function parseYamlDocument(text: string, format: string): YamlValue {
  const fast = readBlockMappings(text)
  if (fast !== undefined) return fast
  try {
    return (YAML.parse(text, { schema: 'failsafe' }) ?? null) as YamlValue
  } catch (err) {
    throw new LockfileError('bad-syntax', `${format}: not valid YAML: ${(err as Error).message}`, { cause: err })
  }
}

interface Frame { indent: number, map: YamlMap }

/** The document when it is only block mappings of scalars; undefined when it is anything else. */
export function readBlockMappings(text: string): YamlMap | undefined {
  const root = newMap()
  const stack: Frame[] = [{ indent: -1, map: root }]
  let pending: { map: YamlMap, key: string, indent: number } | undefined
  let start = 0
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    let lineEnd = end
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--
    let i = start
    while (i < lineEnd && text.charCodeAt(i) === 32) i++
    const next = end + 1
    if (i === lineEnd || text.charCodeAt(i) === 35 /* # */) { start = next; continue }
    if (text.charCodeAt(i) === 9) return undefined // tabs may not indent YAML
    const indent = i - start
    if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i))) return undefined

    if (pending) {
      if (indent > pending.indent) {
        const child = newMap()
        pending.map[pending.key] = child
        stack.push({ indent, map: child })
      } else {
        pending.map[pending.key] = null
      }
      pending = undefined
    }
    let top = stack[stack.length - 1]!
    if (top.indent === -1) top.indent = indent
    while (indent < top.indent && stack.length > 1) { stack.pop(); top = stack[stack.length - 1]! }
    if (indent !== top.indent) return undefined

    // key
    let key: string
    const c = text.charCodeAt(i)
    if (c === 34 || c === 39) {
      const q = readQuoted(text, i, lineEnd)
      if (q === undefined) return undefined
      key = q.value
      i = q.end
      if (text.charCodeAt(i) !== 58 /* : */) return undefined
    } else {
      if (isIndicator(c)) return undefined
      const keyStart = i
      while (i < lineEnd) {
        if (text.charCodeAt(i) === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) break
        i++
      }
      if (i === lineEnd) return undefined
      key = text.slice(keyStart, i).trimEnd()
    }
    if (Object.hasOwn(top.map, key)) return undefined // duplicate key: let the full parser report it
    i++ // past ':'
    while (i < lineEnd && text.charCodeAt(i) === 32) i++
    if (i === lineEnd || text.charCodeAt(i) === 35) {
      pending = { map: top.map, key, indent }
    } else {
      const value = readScalar(text, i, lineEnd)
      if (value === undefined) return undefined
      top.map[key] = value
    }
    start = next
  }
  if (pending) pending.map[pending.key] = null
  return root
}

/** Keys are data: `__proto__` in a lockfile must stay a key, not become a prototype. */
function newMap(): YamlMap {
  return Object.create(null) as YamlMap
}

function isIndicator(c: number): boolean {
  // - ? : , [ ] { } # & * ! | > ' " % @ `
  return c === 45 || c === 63 || c === 58 || c === 44 || c === 91 || c === 93 || c === 123 || c === 125 ||
    c === 35 || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 37 || c === 64 || c === 96
}

function readScalar(text: string, i: number, lineEnd: number): YamlValue | undefined {
  const c = text.charCodeAt(i)
  if (c === 34 || c === 39) {
    const q = readQuoted(text, i, lineEnd)
    if (q === undefined) return undefined
    let j = q.end
    while (j < lineEnd && text.charCodeAt(j) === 32) j++
    return j === lineEnd || text.charCodeAt(j) === 35 ? q.value : undefined
  }
  if (c === 123 || c === 91) {
    // Only the empty flow collections (`packages: {}`) stay on the fast path.
    const rest = stripComment(text, i + 1, lineEnd).trim()
    if (rest === (c === 123 ? '}' : ']')) return c === 123 ? newMap() : []
    return undefined
  }
  if (isIndicator(c)) return undefined
  const value = stripComment(text, i, lineEnd).trimEnd()
  // `a: b: c` is an error in YAML; leave it to the full parser to say so.
  return value.includes(': ') || value.endsWith(':') ? undefined : value
}

/** The line up to a ` #` comment; searched within the line only, so long files stay linear. */
function stripComment(text: string, i: number, lineEnd: number): string {
  for (let j = i; j < lineEnd; j++) {
    if (text.charCodeAt(j) === 35 && text.charCodeAt(j - 1) === 32) return text.slice(i, j - 1)
  }
  return text.slice(i, lineEnd)
}

function readQuoted(text: string, i: number, lineEnd: number): { value: string, end: number } | undefined {
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
      else return undefined // rarer escapes: the full parser knows them all
      j += 2
      chunk = j
      continue
    }
    j++
  }
  return undefined // a quoted scalar continued on the next line
}
