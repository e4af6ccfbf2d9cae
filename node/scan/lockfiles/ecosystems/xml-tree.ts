// A small non-validating XML reader for manifests (pom.xml): elements, their text and
// children, nothing else. It checks what makes XML well-formed enough to trust the tree
// (matching tags, one root, closed comments and CDATA) and runs several times faster than a
// general-purpose parser. DOCTYPE entities are never expanded, so entity bombs cost nothing.
import { LockfileError } from '../parser.ts'

export interface XmlElement {
  /** Local name: a namespace prefix (`m:project`) is dropped. */
  name: string
  children: XmlElement[]
  /** The element's own character data (entities decoded), untrimmed. */
  text: string
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s
  let out = ''
  let from = 0
  let amp = s.indexOf('&')
  while (amp !== -1) {
    const semi = s.indexOf(';', amp + 1)
    if (semi === -1 || semi - amp > 12) break
    const ref = s.slice(amp + 1, semi)
    let ch: string | undefined
    if (ref.charCodeAt(0) === 35 /* # */) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10)
      if (Number.isInteger(code) && code > 0 && code <= 0x10ffff) ch = String.fromCodePoint(code)
    } else {
      ch = ENTITIES[ref]
    }
    // An entity only a DOCTYPE could define is left as written.
    out += s.slice(from, amp) + (ch ?? s.slice(amp, semi + 1))
    from = semi + 1
    amp = s.indexOf('&', from)
  }
  return out + s.slice(from)
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) return false
  }
  return true
}

/** The document's root element; throws LockfileError('bad-syntax') where XML is malformed. */
export function parseXmlTree(text: string, format: string): XmlElement {
  const fail = (pos: number, what: string): never => {
    let line = 1
    for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++
    throw new LockfileError('bad-syntax', `${format} line ${line}: ${what}`)
  }
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  let pos = 0
  const n = text.length
  while (pos < n) {
    const lt = text.indexOf('<', pos)
    const chunkEnd = lt === -1 ? n : lt
    if (chunkEnd > pos) {
      const chunk = text.slice(pos, chunkEnd)
      const top = stack[stack.length - 1]
      if (top) top.text += decodeEntities(chunk)
      else if (!isBlank(chunk)) fail(pos, 'text outside the root element')
    }
    if (lt === -1) break
    const c = text.charCodeAt(lt + 1)
    if (c === 63 /* ? */) {
      const end = text.indexOf('?>', lt + 2)
      if (end === -1) fail(lt, 'unclosed processing instruction')
      pos = end + 2
    } else if (c === 33 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4)
        if (end === -1) fail(lt, 'unclosed comment')
        pos = end + 3
      } else if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9)
        if (end === -1) fail(lt, 'unclosed CDATA section')
        const top = stack[stack.length - 1]
        if (!top) fail(lt, 'CDATA outside the root element')
        top!.text += text.slice(lt + 9, end)
        pos = end + 3
      } else if (text.startsWith('<!DOCTYPE', lt) && stack.length === 0) {
        // Skip the declaration, internal subset `[…]` included.
        let i = lt + 9
        let depth = 0
        while (i < n && !(text.charCodeAt(i) === 62 && depth === 0)) {
          const d = text.charCodeAt(i)
          if (d === 91) depth++
          else if (d === 93) depth--
          i++
        }
        if (i >= n) fail(lt, 'unclosed DOCTYPE')
        pos = i + 1
      } else {
        fail(lt, 'unexpected markup declaration')
      }
    } else if (c === 47 /* / */) {
      const end = text.indexOf('>', lt + 2)
      if (end === -1) fail(lt, 'unclosed end tag')
      const name = localName(text.slice(lt + 2, end).trim())
      const open = stack.pop()
      if (!open || open.name !== name) fail(lt, `</${name}> does not close ${open ? `<${open.name}>` : 'any element'}`)
      pos = end + 1
    } else {
      let i = lt + 1
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d === 32 || d === 9 || d === 10 || d === 13 || d === 47 || d === 62) break
        i++
      }
      const rawName = text.slice(lt + 1, i)
      if (rawName.length === 0 || !isNameStart(rawName.charCodeAt(0))) fail(lt, 'invalid tag name')
      // Attributes are not needed; skip them, respecting quotes so a `>` inside one is data.
      while (i < n && text.charCodeAt(i) !== 62) {
        const d = text.charCodeAt(i)
        if (d === 34 || d === 39) {
          const close = text.indexOf(d === 34 ? '"' : "'", i + 1)
          if (close === -1) fail(i, 'unclosed attribute value')
          i = close + 1
        } else if (d === 60) {
          fail(i, `'<' inside the tag <${rawName}>`)
        } else {
          i++
        }
      }
      if (i >= n) fail(lt, `unclosed tag <${rawName}>`)
      const selfClosing = text.charCodeAt(i - 1) === 47
      const el: XmlElement = { name: localName(rawName), children: [], text: '' }
      const top = stack[stack.length - 1]
      if (top) top.children.push(el)
      else if (root) fail(lt, 'more than one root element')
      else root = el
      if (!selfClosing) stack.push(el)
      pos = i + 1
    }
  }
  if (stack.length > 0) fail(n, `<${stack[stack.length - 1]!.name}> is not closed`)
  if (!root) fail(n, 'no root element')
  return root!
}

function localName(name: string): string {
  const colon = name.indexOf(':')
  return colon === -1 ? name : name.slice(colon + 1)
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c > 127
}

/** The first child element with this local name. */
export function childElement(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name)
}

/** The trimmed text of the first child element with this name, when there is one. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = childElement(el, name)
  return c === undefined ? undefined : c.text.trim()
}

/** Every element at `path` below `el` (`'dependencies', 'dependency'`). */
export function elementsAt(el: XmlElement | undefined, ...path: string[]): XmlElement[] {
  let level = el ? [el] : []
  for (const name of path) level = level.flatMap((e) => e.children.filter((c) => c.name === name))
  return level
}
