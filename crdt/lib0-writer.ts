// A byte writer that produces exactly what lib0's encoding (the one Yjs v1 updates use)
// writes for varuints, varints, strings and `writeAny` values, at a fraction of its cost per
// value: lib0 runs every string, however short, through TextEncoder.encodeInto and copies it
// byte by byte; here ASCII strings (map keys, finding fields) are written straight from their
// char codes. crdt/map-update.test.ts checks the bytes against Yjs' own encoder.

const utf8 = new TextEncoder()
// Called, not Object.hasOwn: V8 drops the check in a for-in over the same object (its keys are own), ~10% of writing a finding.
const hasOwnProperty = Object.prototype.hasOwnProperty
/** Buffers given back held at most (more than a writer has in flight). */
const MAX_SPARES = 4

export class Lib0Writer {
  #buf: Uint8Array
  #view: DataView
  #pos = 0
  /** Buffers given back (see `give`), for `take` to write the next update in. */
  readonly #spares: ArrayBuffer[] = []
  /** The last `also` written over an object (see `object`), and its own keys. */
  #also: Record<string, unknown> | undefined
  #alsoKeys: string[] = []

  constructor(size = 64 * 1024) {
    this.#buf = new Uint8Array(size)
    this.#view = new DataView(this.#buf.buffer)
  }

  get length(): number { return this.#pos }

  /**
   * The bytes written so far (from `from`), copied out; the writer is empty again afterwards.
   * With `room`, they are a view of a buffer of their own with that many free bytes before
   * and after them (for what will be written around them: an envelope): the writer's own
   * buffer, handed over as it is (the caller started writing at `room.before` or later), and
   * the writer takes a new one about that size. A megabyte update is then never copied.
   */
  take(from = 0, room?: { before: number, after: number }): Uint8Array {
    const n = this.#pos - from
    if (!room) {
      this.#pos = 0
      return this.#buf.slice(from, from + n)
    }
    if (from < room.before) throw new RangeError(`${room.before} bytes of room asked for before ${from}`)
    this.#room(room.after)
    const out = this.#buf.subarray(from, from + n)
    // What this one needed and a sixteenth more: the next update of a series is about as large.
    const size = from + n + room.after
    const spare = this.#spares.pop()
    this.#buf = spare !== undefined && spare.byteLength >= size ? new Uint8Array(spare) : new Uint8Array(size + (size >> 4))
    this.#view = new DataView(this.#buf.buffer)
    this.#pos = 0
    return out
  }

  /**
   * A buffer `take` handed over, given back to be written again: only once nothing reads
   * its bytes any more (a store that copied them, not one that keeps the views). A series
   * of megabyte updates then cycles through the few buffers in flight instead of
   * allocating one each: 33 MB of external memory per 100,000 findings brought V8's full
   * collections (marking the whole heap) into the write.
   */
  give(buffer: ArrayBuffer): void {
    if (this.#spares.length < MAX_SPARES) this.#spares.push(buffer)
  }

  /** Starts writing at `at`, leaving room before it for what is only known at the end (see `putAt`). */
  startAt(at: number): void {
    this.#pos = 0
    this.#room(at)
    this.#pos = at
  }

  /** Puts bytes at an offset before the current position (into the room `startAt` left). */
  putAt(at: number, b: Uint8Array): void {
    this.#buf.set(b, at)
  }

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + n))
    next.set(this.#buf.subarray(0, this.#pos))
    this.#buf = next
    this.#view = new DataView(next.buffer)
  }

  byte(b: number): void {
    this.#room(1)
    this.#buf[this.#pos++] = b
  }

  /** lib0 writeVarUint: 7 bits a byte, low first (numbers up to 2^53). */
  varUint(n: number): void {
    this.#room(10)
    const buf = this.#buf
    let pos = this.#pos
    while (n > 0x7f) {
      buf[pos++] = 0x80 | (n & 0x7f)
      n = Math.floor(n / 128)
    }
    buf[pos++] = n
    this.#pos = pos
  }

  /** lib0 writeVarInt: the first byte holds a sign bit and 6 bits, the rest 7 bits each. */
  varInt(n: number): void {
    this.#room(8)
    const buf = this.#buf
    const negative = n !== 0 ? n < 0 : 1 / n < 0
    if (negative) n = -n
    buf[this.#pos++] = (n > 0x3f ? 0x80 : 0) | (negative ? 0x40 : 0) | (n & 0x3f)
    n = Math.floor(n / 64)
    while (n > 0) {
      buf[this.#pos++] = (n > 0x7f ? 0x80 : 0) | (n & 0x7f)
      n = Math.floor(n / 128)
    }
  }

  /** lib0 writeVarString: the UTF-8 length, then the bytes (lone surrogates as U+FFFD, as TextEncoder does). */
  string(s: string): void {
    const len = s.length
    this.#room(len + 10)
    const buf = this.#buf
    // ASCII: one byte per char, the length fits before it.
    let pos = this.#pos
    let n = len
    while (n > 0x7f) { buf[pos++] = 0x80 | (n & 0x7f); n = Math.floor(n / 128) }
    buf[pos++] = n
    // Any char over 0x7f shows in the OR of them all: checked once, after the copy (then written again).
    let all = 0
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i)
      all |= c
      buf[pos++] = c
    }
    if (all > 0x7f) { this.#nonAscii(s); return }
    this.#pos = pos
  }

  #nonAscii(s: string): void {
    const bytes = utf8.encode(s)
    this.varUint(bytes.length)
    this.bytes(bytes)
  }

  bytes(b: Uint8Array): void {
    this.#room(b.length)
    this.#buf.set(b, this.#pos)
    this.#pos += b.length
  }

  /**
   * lib0 writeAny of an object: its own enumerable fields in Object.keys order. With `also`:
   * the object `{...o, ...also}` with its undefined fields left out (`o`'s fields that `also`
   * names give way to `also`'s, which come last), written without building it. A scan writes
   * 100,000 of these: walking the fields with for-in allocates nothing, where Object.keys (or
   * the merged copy) would make garbage to collect for each.
   */
  object(o: Record<string, unknown>, also?: Record<string, unknown>): void {
    this.#room(2)
    this.#buf[this.#pos++] = 118
    // The field count comes first but is known at the end: one byte is kept for it (moved up for 128 or more).
    const countAt = this.#pos++
    let n = 0
    // `also`'s own keys, as a list: one shared object's (a scan's) are listed once, not looked up per field.
    let over: string[] | undefined
    if (also !== undefined) {
      if (also !== this.#also) { this.#also = also; this.#alsoKeys = Object.getOwnPropertyNames(also) }
      over = this.#alsoKeys
    }
    for (const k in o) {
      if (!hasOwnProperty.call(o, k)) continue
      const x = o[k]
      if (over !== undefined && (x === undefined || over.includes(k))) continue
      this.string(k)
      this.any(x)
      n++
    }
    if (also !== undefined) {
      for (const k in also) {
        const x = also[k]
        if (x === undefined || !hasOwnProperty.call(also, k)) continue
        this.string(k)
        this.any(x)
        n++
      }
    }
    if (n < 0x80) { this.#buf[countAt] = n; return }
    let width = 1
    for (let m = n; m > 0x7f; m = Math.floor(m / 128)) width++
    this.#room(width)
    this.#buf.copyWithin(countAt + width, countAt + 1, this.#pos)
    const end = this.#pos + width - 1
    this.#pos = countAt
    this.varUint(n)
    this.#pos = end
  }

  /** lib0 writeAny: the JSON-like values Y.Map entries hold (ContentAny). */
  any(v: unknown): void {
    // Room for the tag and any fixed-size value at once; strings and bytes ask for their own.
    this.#room(10)
    const buf = this.#buf
    switch (typeof v) {
      case 'string':
        buf[this.#pos++] = 119
        this.string(v)
        return
      case 'number':
        if (Number.isInteger(v) && Math.abs(v) <= 0x7fffffff) {
          buf[this.#pos++] = 125
          this.varInt(v)
        } else if (Math.fround(v) === v) {
          buf[this.#pos++] = 124
          this.#view.setFloat32(this.#pos, v, false)
          this.#pos += 4
        } else {
          buf[this.#pos++] = 123
          this.#view.setFloat64(this.#pos, v, false)
          this.#pos += 8
        }
        return
      case 'bigint':
        buf[this.#pos++] = 122
        this.#view.setBigInt64(this.#pos, v, false)
        this.#pos += 8
        return
      case 'boolean':
        buf[this.#pos++] = v ? 120 : 121
        return
      case 'object':
        if (v === null) {
          buf[this.#pos++] = 126
        } else if (Array.isArray(v)) {
          buf[this.#pos++] = 117
          this.varUint(v.length)
          for (let i = 0; i < v.length; i++) this.any(v[i])
        } else if (v instanceof Uint8Array) {
          buf[this.#pos++] = 116
          this.varUint(v.length)
          this.bytes(v)
        } else {
          this.object(v as Record<string, unknown>)
        }
        return
      default:
        buf[this.#pos++] = 127
    }
  }
}

/**
 * What reading back `any(v)` (or `object(v, also)`) gives, without the bytes: a fresh copy
 * made as the writer walks the value (strings shared: they cannot change), so what a writer
 * applies to its own doc is what every replica reads from the update (lib0-reader.ts'
 * applyOwnUpdate). Numbers are written losslessly (float32 only where exact); a bigint as a
 * signed 64-bit; a Uint8Array copied; anything else not JSON-like as undefined.
 */
export function readBack(v: unknown, also?: Record<string, unknown>): unknown {
  switch (typeof v) {
    case 'string': case 'number': case 'boolean': return v
    case 'bigint': return BigInt.asIntN(64, v)
    case 'object': {
      if (v === null) return null
      if (Array.isArray(v)) {
        const out = new Array<unknown>(v.length)
        for (let i = 0; i < v.length; i++) out[i] = readBack(v[i])
        return out
      }
      if (v instanceof Uint8Array) return new Uint8Array(v)
      const o = v as Record<string, unknown>
      const out: Record<string, unknown> = {}
      // `also`'s keys listed each time, as the writer lists them per write: an object reused
      // (and changed) between writes is read as it is now.
      const over = also === undefined ? undefined : Object.getOwnPropertyNames(also)
      for (const k in o) {
        if (!hasOwnProperty.call(o, k)) continue
        const x = o[k]
        if (over !== undefined && (x === undefined || over.includes(k))) continue
        out[k] = readBack(x)
      }
      if (also !== undefined) {
        for (const k in also) {
          const x = also[k]
          if (x === undefined || !hasOwnProperty.call(also, k)) continue
          out[k] = readBack(x)
        }
      }
      return out
    }
    default: return undefined
  }
}
