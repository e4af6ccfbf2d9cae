// Unpacking bytes from a peer. msgpackr builds the whole value before anyone can look at it,
// and a 4 MiB frame of empty maps becomes ~270 MB of heap; it also silently renames
// `__proto__`, keeps the last of duplicate keys, and turns extension types into Dates and
// typed arrays. So a flat scan of the bytes comes first: it counts values, bounds nesting,
// refuses extensions, non-string and duplicate map keys, bad UTF-8 and trailing bytes, and
// allocates nothing in proportion to the input except the key sets it needs for duplicates.
import { isUtf8 } from 'node:buffer'
import { unpack } from './encoding.ts'
import { ProtocolError } from './errors.ts'

export interface UnpackLimits {
  /** Most values (scalars, containers and map keys each count one) the bytes may hold. */
  maxNodes: number
  /** Deepest nesting of non-empty arrays and maps. */
  maxDepth: number
}

interface Level {
  /** Items still to read: n for an array, 2n (key, value, key…) for a map. */
  left: number
  /** Keys seen so far, for maps. */
  keys: Set<string> | undefined
}

const utf8 = new TextDecoder()

/** Throws a ProtocolError unless `bytes` is exactly one plain msgpack value within `limits`. */
export function scanMsgpack(bytes: Uint8Array, limits: UnpackLimits, what: string): void {
  const end = bytes.length
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const fail = (why: string) => new ProtocolError('bad-encoding', `${what}: ${why}`)
  const need = (n: number) => { if (pos + n > end) throw fail('ends inside a value') }
  const stack: Level[] = []
  let pos = 0
  let nodes = 0
  do {
    const top = stack[stack.length - 1]
    const isKey = top?.keys !== undefined && top.left % 2 === 0
    if (++nodes > limits.maxNodes) throw new ProtocolError('oversize', `${what}: more than ${limits.maxNodes} values`)
    need(1)
    const b = bytes[pos++]!
    let children = 0
    let isMap = false
    /** Length of a str (≥ 0 and isStr) or bin (≥ 0) body that follows the header. */
    let len = -1
    let isStr = false
    if (b <= 0x7f || b >= 0xe0) {
      // fixint
    } else if (b <= 0x8f) {
      children = (b & 0x0f) * 2; isMap = true
    } else if (b <= 0x9f) {
      children = b & 0x0f
    } else if (b <= 0xbf) {
      len = b & 0x1f; isStr = true
    } else {
      switch (b) {
        case 0xc0: case 0xc2: case 0xc3: break
        case 0xc4: need(1); len = view.getUint8(pos); pos += 1; break
        case 0xc5: need(2); len = view.getUint16(pos); pos += 2; break
        case 0xc6: need(4); len = view.getUint32(pos); pos += 4; break
        case 0xcc: case 0xd0: need(1); pos += 1; break
        case 0xcd: case 0xd1: need(2); pos += 2; break
        case 0xca: case 0xce: case 0xd2: need(4); pos += 4; break
        case 0xcb: case 0xcf: case 0xd3: need(8); pos += 8; break
        case 0xd9: need(1); len = view.getUint8(pos); pos += 1; isStr = true; break
        case 0xda: need(2); len = view.getUint16(pos); pos += 2; isStr = true; break
        case 0xdb: need(4); len = view.getUint32(pos); pos += 4; isStr = true; break
        case 0xdc: need(2); children = view.getUint16(pos); pos += 2; break
        case 0xdd: need(4); children = view.getUint32(pos); pos += 4; break
        case 0xde: need(2); children = view.getUint16(pos) * 2; pos += 2; isMap = true; break
        case 0xdf: need(4); children = view.getUint32(pos) * 2; pos += 4; isMap = true; break
        default: throw fail(b === 0xc1 ? 'byte 0xc1 is never used' : 'extension types are not part of the protocol')
      }
    }
    if (isKey && !isStr) throw fail('map keys must be strings')
    if (len >= 0) {
      need(len)
      const raw = bytes.subarray(pos, pos + len)
      if (isStr && !isUtf8(raw)) throw fail('string is not UTF-8')
      if (isKey) {
        const key = utf8.decode(raw)
        // msgpackr would rename this one on decode; no field or name of ours is spelled so.
        if (key === '__proto__') throw new ProtocolError('bad-field', `${what}: forbidden key __proto__`)
        if (top!.keys!.has(key)) throw fail(`duplicate map key '${key.slice(0, 64)}'`)
        top!.keys!.add(key)
      }
      pos += len
    }
    if (top) top.left--
    if (children > 0) {
      // Every item takes at least one byte: a count beyond the input is a lie, refuse it now.
      if (children > end - pos) throw fail('ends inside a value')
      if (stack.length >= limits.maxDepth) throw fail(`nested deeper than ${limits.maxDepth}`)
      stack.push({ left: children, keys: isMap ? new Set() : undefined })
    }
    while (stack.length > 0 && stack[stack.length - 1]!.left === 0) stack.pop()
  } while (stack.length > 0)
  if (pos !== end) throw fail(`${end - pos} bytes after the value`)
}

/** The value in untrusted msgpack bytes; any failure is a ProtocolError. */
export function unpackUntrusted(bytes: Uint8Array, limits: UnpackLimits, what: string): unknown {
  scanMsgpack(bytes, limits, what)
  try {
    return unpack(bytes)
  } catch (err) {
    // The scan should leave msgpackr nothing to refuse; if it ever does, it is still bad input.
    throw new ProtocolError('bad-encoding', `${what} is not valid msgpack`, { cause: err })
  }
}
