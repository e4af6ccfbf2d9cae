// PROTOCOL.md is what a peer in another language is written from: its tags, limits and hex
// examples are checked against the code here, so the document cannot drift from the bytes.
import { describe, it, expect } from 'vitest'
import { createPublicKey, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { decodeEnvelope, encodeEnvelope, MAX_ENVELOPE, MAX_PAYLOAD } from './envelope.ts'
import { bodyDigest, envelopeHash, signedBytes } from './envelope-digest.ts'
import { decodeFrames, encodeFrame, MAX_FRAME } from './frame.ts'
import { decodeMessage, encodeMessage, LIMITS, MESSAGE_LIMITS, TAGS, type Message } from './messages.ts'

const doc = readFileSync(new URL('./PROTOCOL.md', import.meta.url), 'utf8')
const AUTHOR = '12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf'

interface Example { heading: string, comments: string[], bytes: Uint8Array }

/** The ```hex blocks: `# ` lines are headings and notes; elsewhere hex comes first, a note after two spaces. */
function examples(): Example[] {
  return [...doc.matchAll(/```hex\n([\s\S]*?)```/g)].map(([, block]) => {
    const lines = block!.split('\n').map((l) => l.trim()).filter(Boolean)
    const comments = lines.filter((l) => l.startsWith('#')).map((l) => l.replace(/^#\s*/, ''))
    const hex = lines.filter((l) => !l.startsWith('#')).flatMap((l) => l.split(/\s{2,}/)[0]!.split(' '))
    for (const token of hex) expect(token, `hex token '${token}'`).toMatch(/^([0-9a-f]{2})+$/)
    return { heading: comments[0]!, comments, bytes: Uint8Array.from(Buffer.from(hex.join(''), 'hex')) }
  })
}

const FRAMES: Record<string, Message> = {
  ping: { type: 'ping', nonce: 7 },
  want: { type: 'want', doc: 'acme/triage', author: AUTHOR, fromSeq: 3 },
  refuse: { type: 'refuse', code: 'revoked', message: 'certificate serial 3 is revoked' },
}

describe('PROTOCOL.md', () => {
  it('lists every message under its tag', () => {
    for (const [type, tag] of Object.entries(TAGS)) expect(doc).toContain(`| ${tag} | \`${type}\` |`)
    expect(doc.match(/^\| \d+ \| `[a-z-]+` \|/gm)).toHaveLength(Object.keys(TAGS).length)
  })

  it('states the limits the code enforces', () => {
    const n = (x: number) => x.toLocaleString('en-US')
    expect(MAX_FRAME).toBe(4 * 1024 * 1024 + 64 * 1024)
    expect(doc).toContain(`≤ ${n(MAX_FRAME)} (\`MAX_FRAME\`, 4 MiB + 64 KiB)`)
    expect(MAX_PAYLOAD).toBe(4 * 1024 * 1024)
    expect(MAX_ENVELOPE).toBe(MAX_PAYLOAD + 4096)
    expect(doc).toContain(`at most ${n(MESSAGE_LIMITS.maxNodes)} values`)
    expect(doc).toContain(`nest at most ${MESSAGE_LIMITS.maxDepth} non-empty containers`)
    expect(doc).toContain(`≤ ${n(LIMITS.haveEntries)} docs and ≤ ${n(LIMITS.haveEntries)} (doc, author) pairs`)
    expect(doc).toContain(`≤ ${LIMITS.envelopesPerBatch} items`)
    expect(doc).toContain(`(≤ ${n(LIMITS.acksPerMessage)})`)
  })

  it('has a frame example of each kind named, byte for byte what the code sends', () => {
    const frames = examples().filter((e) => e.heading.startsWith('frame: '))
    expect(frames.map((e) => e.heading.split(' ')[1]).sort()).toEqual(Object.keys(FRAMES).sort())
    for (const e of frames) {
      const expected = FRAMES[e.heading.split(' ')[1]!]!
      expect(Buffer.from(e.bytes).toString('hex')).toBe(Buffer.from(encodeFrame(encodeMessage(expected))).toString('hex'))
      const [body] = decodeFrames(e.bytes)
      expect(decodeMessage(body!)).toEqual(expected)
    }
  })

  it('has an envelope example of each version that decodes, verifies and hashes as stated', () => {
    for (const [heading, v] of [['envelope', 1], ['envelope v2', 2]] as const) {
      const [e] = examples().filter((x) => x.heading === heading)
      const note = (name: string) => Buffer.from(e!.comments.find((c) => c.startsWith(`${name}: `))!.slice(name.length + 2), 'hex')
      const env = decodeEnvelope(e!.bytes)
      expect(env).toMatchObject({ v, doc: `findings/${AUTHOR}`, author: AUTHOR, seq: 1, ts: 1_764_000_000_000, kind: 'yjs' })
      expect([...env.payload]).toEqual([1, 2, 3, 4])
      expect(env.prev).toEqual(new Uint8Array(32))
      expect(encodeEnvelope(env.body, env.sig)).toEqual(e!.bytes)
      const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: note('public key').toString('base64url') }, format: 'jwk' })
      // Checked with node:crypto directly over the bytes the document states, not through our helpers only.
      const signed = v === 1 ? env.body : note('signed')
      if (v === 2) {
        expect(Buffer.from(bodyDigest(env.body))).toEqual(note('body sha-256'))
        expect(Buffer.from(signedBytes(env))).toEqual(signed)
      }
      expect(verify(null, signed, key, env.sig)).toBe(true)
      expect(Buffer.from(envelopeHash(env))).toEqual(note(v === 1 ? 'sha-256' : 'hash'))
    }
  })
})
