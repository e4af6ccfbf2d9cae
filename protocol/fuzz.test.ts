// 100,000 random and mutated frames through the frame decoder and every message and
// envelope decoder: only ProtocolError may come out, and memory must stay flat.
import { describe, it, expect } from 'vitest'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { pack } from './encoding.ts'
import { decodeEnvelope } from './envelope.ts'
import { ProtocolError } from './errors.ts'
import { encodeFrame, encodeVarint, FrameDecoder } from './frame.ts'
import { decodeMessage, encodeMessage, TAGS } from './messages.ts'
import { SAMPLE_MESSAGES, sampleEnvelope } from './samples.test-data.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** mulberry32: small, seeded, good enough for fuzzing. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ITERATIONS = 100_000
const MAX = 64 * 1024

describe('protocol fuzz', () => {
  it(`${ITERATIONS} random and mutated frames: only ProtocolError, flat memory`, () => {
    const rand = prng(0x5eed)
    const int = (n: number) => Math.floor(rand() * n)
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
    const envelopes = [sampleEnvelope(1), sampleEnvelope(9)]
    const seeds = [...SAMPLE_MESSAGES.map((m) => encodeMessage(m)), ...envelopes]
    // Names the decoders look for, so random maps sometimes get past the first checks.
    const names = ['nonce', 'vector', 'acks', 'doc', 'author', 'seq', 'body', 'sig', 'v', 'kind', 'payload', 'tenants', 'role', 'list', '__proto__', 'constructor', 'x']
    const counts = { ok: 0, refused: 0, envelopesOpened: 0 }
    const seen = new Set<string>()
    const unexpected: string[] = []

    /** A random msgpack value of (almost certainly) the wrong shape. */
    const value = (depth: number): unknown => {
      switch (int(depth > 3 ? 6 : 9)) {
        case 0: return int(2) ? int(2 ** 32) : -int(1000)
        case 1: return rand() * 1e15
        case 2: return pick(names)
        case 3: return new Uint8Array(int(40)).fill(int(256))
        case 4: return pick([null, true, false, 2 ** 53, -(2 ** 60)])
        case 5: return pick(['1.0.0', '^1.0.0', 'agent', 'yjs', 'acme', SAMPLE_MESSAGES.length])
        case 6: return Array.from({ length: int(5) }, () => value(depth + 1))
        case 7: return [int(12), value(depth + 1)]
        default: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(names), value(depth + 1)]))
      }
    }

    const mutate = (src: Uint8Array): Uint8Array => {
      const b = new Uint8Array(src)
      switch (int(8)) {
        case 0: { const i = int(b.length); b[i]! ^= 1 << int(8); return b }
        case 1: return b.subarray(0, int(b.length))
        case 2: { const i = int(b.length + 1); return Uint8Array.from([...b.subarray(0, i), int(256), ...b.subarray(i)]) }
        case 3: { for (let k = 0; k < 4; k++) b[int(b.length)] = int(256); return b }
        case 4: { const i = int(b.length); return Uint8Array.from([...b.subarray(0, i), ...b.subarray(i + 1 + int(8))]) }
        case 5: return pack(value(0))
        // a valid message around a damaged envelope: the receiver's second decoding step
        case 6: return encodeMessage({ type: 'envelopes', envelopes: [mutate(pick(envelopes)), pick(envelopes)] })
        default: return new Uint8Array(int(64)).map(() => int(256))
      }
    }

    const attempt = (fn: () => void) => {
      try { fn(); counts.ok++ } catch (err) {
        if (err instanceof ProtocolError) { counts.refused++; seen.add(err.code) } else if (unexpected.length < 5) unexpected.push(String((err as Error)?.stack ?? err))
      }
    }

    const consume = (frame: Uint8Array) => {
      attempt(() => {
        const m = decodeMessage(frame)
        if (m.type === 'envelopes') for (const e of m.envelopes) attempt(() => { decodeEnvelope(e); counts.envelopesOpened++ })
      })
      attempt(() => decodeEnvelope(frame))
    }

    let heapAfterWarmup = 0
    for (let i = 0; i < ITERATIONS; i++) {
      if (i === ITERATIONS / 4) { gc(); heapAfterWarmup = process.memoryUsage().heapUsed }
      // A stream of one to three frames, some with a damaged or replaced length prefix.
      const frames = Array.from({ length: 1 + int(3) }, () => {
        let frame = encodeFrame(mutate(pick(seeds)))
        const roll = int(20)
        if (roll === 0) { frame = new Uint8Array(frame); frame[0] = int(256) }
        if (roll === 1) frame = Uint8Array.from([...encodeVarint(int(2 ** 35)), ...frame.subarray(1)])
        if (roll === 2) frame = frame.subarray(0, int(frame.length))
        return frame
      })
      const stream = Uint8Array.from(frames.flatMap((f) => [...f]))
      const decoder = new FrameDecoder(MAX)
      attempt(() => {
        for (let at = 0; at < stream.length;) {
          const n = 1 + int(int(2) ? 8 : stream.length)
          for (const f of decoder.push(stream.subarray(at, at + n))) consume(f)
          at += n
        }
        decoder.end()
      })
    }
    gc()
    const growth = process.memoryUsage().heapUsed - heapAfterWarmup
    expect(unexpected).toEqual([])
    expect(counts.refused).toBeGreaterThan(ITERATIONS)
    expect(counts.ok).toBeGreaterThan(10_000)
    expect(counts.envelopesOpened).toBeGreaterThan(1000)
    // Every refusal path was reached, so the inputs really got that far.
    expect([...seen].sort()).toEqual(['bad-encoding', 'bad-field', 'bad-version', 'oversize', 'truncated', 'unknown-tag'])
    // 75,000 iterations after warm-up; anything retained per frame would show as megabytes.
    expect(growth).toBeLessThan(8 * 1024 * 1024)
  }, 120_000)
})
