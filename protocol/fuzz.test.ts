// 100,000 random and mutated frames through the frame decoder and every message and
// envelope decoder: only ProtocolError may come out, and memory must stay flat.
import { describe, it, expect } from 'vitest'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { pack } from './encoding.ts'
import { decodeEnvelope } from './envelope.ts'
import { ProtocolError } from './errors.ts'
import { encodeFrame, FrameDecoder } from './frame.ts'
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

describe('protocol fuzz', () => {
  it(`${ITERATIONS} random and mutated frames: only ProtocolError, flat memory`, () => {
    const rand = prng(0x5eed)
    const int = (n: number) => Math.floor(rand() * n)
    const seeds = [...SAMPLE_MESSAGES.map((m) => encodeMessage(m)), sampleEnvelope(1), sampleEnvelope(9)]
    const wrongShapes = [null, 1, -1, 2 ** 60, 'x', [], {}, [1], [TAGS.hello, []], [TAGS.ack, { acks: [{}] }], [TAGS.have, { vector: { d: { a: 1 } } }], { body: 1, sig: 2 }, new Uint8Array(3)]
    const counts = { ok: 0, protocolError: 0 }
    const unexpected: string[] = []
    let heapAfterWarmup = 0

    const mutate = (src: Uint8Array): Uint8Array => {
      const b = new Uint8Array(src)
      switch (int(6)) {
        case 0: { const i = int(b.length); b[i]! ^= 1 << int(8); return b }
        case 1: return b.subarray(0, int(b.length))
        case 2: { const out = new Uint8Array(b.length + 1); const i = int(b.length + 1); out.set(b.subarray(0, i)); out[i] = int(256); out.set(b.subarray(i), i + 1); return out }
        case 3: { for (let k = 0; k < 4; k++) b[int(b.length)] = int(256); return b }
        case 4: return pack([int(12), wrongShapes[int(wrongShapes.length)]])
        default: return new Uint8Array(int(64)).map(() => int(256))
      }
    }

    const tryDecode = (fn: () => unknown) => {
      try { fn(); counts.ok++ } catch (err) {
        if (err instanceof ProtocolError) counts.protocolError++
        else if (unexpected.length < 5) unexpected.push(`${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`)
      }
    }

    for (let i = 0; i < ITERATIONS; i++) {
      if (i === ITERATIONS / 4) { gc(); heapAfterWarmup = process.memoryUsage().heapUsed }
      const body = mutate(seeds[int(seeds.length)]!)
      // Sometimes corrupt the length prefix itself, and feed the stream in random chunks.
      let frame = encodeFrame(body)
      if (int(10) === 0) { frame = new Uint8Array(frame); frame[0] = int(256) }
      const decoder = new FrameDecoder(64 * 1024)
      tryDecode(() => {
        for (let at = 0; at < frame.length;) {
          const n = 1 + int(frame.length)
          for (const f of decoder.push(frame.subarray(at, at + n))) {
            tryDecode(() => decodeMessage(f))
            tryDecode(() => decodeEnvelope(f))
          }
          at += n
        }
        decoder.end()
      })
    }
    gc()
    const growth = process.memoryUsage().heapUsed - heapAfterWarmup
    expect(unexpected).toEqual([])
    expect(counts.protocolError).toBeGreaterThan(ITERATIONS)
    expect(counts.ok).toBeGreaterThan(1000)
    // 75,000 iterations after warm-up; anything retained per frame would show as megabytes.
    expect(growth).toBeLessThan(8 * 1024 * 1024)
  }, 120_000)
})
