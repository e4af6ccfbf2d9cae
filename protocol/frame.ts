// Length-prefixed frames: an unsigned LEB128 varint length, then that many bytes — the
// same prefix libp2p's length-prefixed streams (lpStream, it-length-prefixed) use. A length
// over the maximum is refused as soon as its prefix is read, so an oversize frame is never
// buffered.
import { MAX_PAYLOAD } from './envelope.ts'
import { ProtocolError } from './errors.ts'

/**
 * Largest frame body by default: one maximal envelope (or a 4 MiB revocation list) and room
 * for the message around it. Every message must fit in one frame; senders split batches.
 */
export const MAX_FRAME = MAX_PAYLOAD + 64 * 1024

/** A varint of 5 bytes holds 35 bits: more than any frame length we could accept. */
const MAX_PREFIX_BYTES = 5

/** First buffer for a frame body that arrives in pieces; grown by doubling up to its length. */
const FIRST_BUFFER = 64 * 1024

/** The unsigned LEB128 varint of `n` (its minimal encoding, as lpStream writes it). */
export function encodeVarint(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint of ${n}`)
  const out: number[] = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return Uint8Array.from(out)
}

export function encodeFrame(body: Uint8Array, max = MAX_FRAME): Uint8Array {
  if (body.length > max) throw new ProtocolError('oversize', `frame of ${body.length} bytes is over ${max}`)
  const prefix = encodeVarint(body.length)
  const out = new Uint8Array(prefix.length + body.length)
  out.set(prefix, 0)
  out.set(body, prefix.length)
  return out
}

/**
 * Streaming decoder: push chunks as they arrive, get back every complete frame body (each in
 * a buffer of its own). Chunks are copied in, never kept, so tiny chunks cost no per-chunk
 * memory. After an error the decoder stays failed: the stream is beyond repair.
 */
export class FrameDecoder {
  readonly #max: number
  #failed: ProtocolError | undefined
  // Prefix being read.
  #length = 0
  #prefixBytes = 0
  // Body being read, once the prefix is complete (#want ≥ 0).
  #want = -1
  #body: Uint8Array = new Uint8Array(0)
  #filled = 0

  constructor(max = MAX_FRAME) {
    this.#max = max
  }

  /** Bytes held for the frame being read (prefix and body so far). */
  get buffered(): number {
    return this.#want === -1 ? this.#prefixBytes : this.#filled
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed) throw this.#failed
    try {
      return this.#push(chunk)
    } catch (err) {
      this.#failed = err as ProtocolError
      throw err
    }
  }

  /** The stream ended: leftover bytes are a truncated frame. */
  end(): void {
    if (this.#failed) throw this.#failed
    if (this.#want !== -1 || this.#prefixBytes > 0) {
      this.#failed = new ProtocolError('truncated', `stream ended inside a frame (${this.buffered} bytes held)`)
      throw this.#failed
    }
  }

  #push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = []
    let at = 0
    while (at < chunk.length || this.#want === 0) {
      if (this.#want === -1) {
        at = this.#readPrefix(chunk, at)
        continue
      }
      const take = Math.min(this.#want - this.#filled, chunk.length - at)
      if (this.#filled === 0 && take === this.#want) {
        // The whole body is in this chunk: one copy, straight out.
        frames.push(chunk.slice(at, at + take))
      } else {
        this.#reserve(this.#filled + take)
        this.#body.set(chunk.subarray(at, at + take), this.#filled)
        this.#filled += take
        if (this.#filled < this.#want) return frames
        frames.push(this.#body.length === this.#want ? this.#body : this.#body.slice(0, this.#want))
      }
      at += take
      this.#want = -1
      this.#body = new Uint8Array(0)
      this.#filled = 0
    }
    return frames
  }

  /** Reads prefix bytes from `chunk` at `at`; returns where it stopped. */
  #readPrefix(chunk: Uint8Array, at: number): number {
    while (at < chunk.length) {
      const b = chunk[at++]!
      if (++this.#prefixBytes > MAX_PREFIX_BYTES) throw new ProtocolError('bad-encoding', `frame length prefix is longer than ${MAX_PREFIX_BYTES} bytes`)
      this.#length += (b & 0x7f) * 2 ** (7 * (this.#prefixBytes - 1))
      if ((b & 0x80) === 0) {
        // libp2p's decoder finds the body after the minimal prefix: a padded one would be read
        // two ways, so it is refused.
        if (b === 0 && this.#prefixBytes > 1) throw new ProtocolError('bad-encoding', 'frame length prefix is not minimal')
        if (this.#length > this.#max) throw new ProtocolError('oversize', `frame of ${this.#length} bytes is over ${this.#max}`)
        this.#want = this.#length
        this.#length = 0
        this.#prefixBytes = 0
        return at
      }
    }
    return at
  }

  /** Room for `n` body bytes, grown by doubling so a slow sender costs what it sent, not what it announced. */
  #reserve(n: number): void {
    if (n <= this.#body.length) return
    const size = Math.min(this.#want, Math.max(n, FIRST_BUFFER, this.#body.length * 2))
    const grown = new Uint8Array(size)
    grown.set(this.#body.subarray(0, this.#filled))
    this.#body = grown
  }
}

/** Every frame of a whole buffer; a ProtocolError if it does not end on a frame boundary. */
export function decodeFrames(bytes: Uint8Array, max = MAX_FRAME): Uint8Array[] {
  const d = new FrameDecoder(max)
  const frames = d.push(bytes)
  d.end()
  return frames
}
