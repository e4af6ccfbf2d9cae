// Length-prefixed frames: an unsigned LEB128 varint length, then that many bytes — the
// same prefix libp2p's length-prefixed streams use. A length over the maximum is refused
// as soon as its prefix is read, so an oversize frame is never buffered.
import { ProtocolError } from './errors.ts'

/** Largest frame body: an envelope batch's worth (the largest message is bounded by this). */
export const MAX_FRAME = 8 * 1024 * 1024

export function encodeFrame(body: Uint8Array, max = MAX_FRAME): Uint8Array {
  if (body.length > max) throw new ProtocolError('oversize', `frame of ${body.length} bytes is over ${max}`)
  const prefix: number[] = []
  let n = body.length
  do {
    let b = n & 0x7f
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    prefix.push(b)
  } while (n > 0)
  const out = new Uint8Array(prefix.length + body.length)
  out.set(prefix, 0)
  out.set(body, prefix.length)
  return out
}

/** Streaming decoder: push chunks as they arrive, get back every complete frame body. */
export class FrameDecoder {
  readonly #max: number
  #chunks: Uint8Array[] = []
  #buffered = 0
  /** Length of the frame being read, once its prefix is complete. */
  #want = -1

  constructor(max = MAX_FRAME) {
    this.#max = max
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) { this.#chunks.push(chunk); this.#buffered += chunk.length }
    const frames: Uint8Array[] = []
    for (;;) {
      if (this.#want === -1) {
        const header = this.#readLength()
        if (header === undefined) break
        this.#want = header
      }
      if (this.#buffered < this.#want) break
      frames.push(this.#take(this.#want))
      this.#want = -1
    }
    return frames
  }

  /** The stream ended: leftover bytes are a truncated frame. */
  end(): void {
    if (this.#buffered > 0 || this.#want !== -1) {
      throw new ProtocolError('truncated', `stream ended inside a frame (${this.#buffered} bytes left)`)
    }
  }

  #readLength(): number | undefined {
    let value = 0
    let shift = 1
    let i = 0
    for (const chunk of this.#chunks) {
      for (const b of chunk) {
        i++
        if (i > 5) throw new ProtocolError('bad-encoding', 'frame length prefix is longer than 5 bytes')
        value += (b & 0x7f) * shift
        shift *= 128
        if ((b & 0x80) === 0) {
          if (value > this.#max) throw new ProtocolError('oversize', `frame of ${value} bytes is over ${this.#max}`)
          this.#take(i)
          return value
        }
      }
    }
    return undefined
  }

  #take(n: number): Uint8Array {
    const out = new Uint8Array(n)
    let filled = 0
    while (filled < n) {
      const head = this.#chunks[0]!
      const need = n - filled
      if (head.length <= need) {
        out.set(head, filled)
        filled += head.length
        this.#chunks.shift()
      } else {
        out.set(head.subarray(0, need), filled)
        this.#chunks[0] = head.subarray(need)
        filled += need
      }
    }
    this.#buffered -= n
    return out
  }
}

/** Every frame of a whole buffer; a ProtocolError if it does not end on a frame boundary. */
export function decodeFrames(bytes: Uint8Array, max = MAX_FRAME): Uint8Array[] {
  const d = new FrameDecoder(max)
  const frames = d.push(bytes)
  d.end()
  return frames
}
