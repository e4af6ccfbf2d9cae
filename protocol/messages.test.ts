import { describe, it, expect } from 'vitest'
import { pack } from './encoding.ts'
import { ProtocolError } from './errors.ts'
import { decodeMessage, encodeMessage, TAGS } from './messages.ts'
import { PEER, SAMPLE_MESSAGES } from './samples.test-data.ts'

const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof ProtocolError) return err.code; throw err } }

describe('sync messages', () => {
  it('every message type round-trips', () => {
    expect(new Set(SAMPLE_MESSAGES.map((m) => m.type)).size).toBe(Object.keys(TAGS).length)
    for (const msg of SAMPLE_MESSAGES) expect(decodeMessage(encodeMessage(msg))).toEqual(msg)
  })

  it('refuses unknown tags, wrong shapes and wrong field types with named codes', () => {
    expect(code(() => decodeMessage(pack([99, {}])))).toBe('unknown-tag')
    expect(code(() => decodeMessage(pack({ tag: 1 })))).toBe('bad-encoding')
    expect(code(() => decodeMessage(new Uint8Array([0xc1])))).toBe('bad-encoding')
    expect(code(() => decodeMessage(pack([TAGS.ping, { nonce: 'x' }])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.ping, { nonce: -1 }])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.ping, { nonce: 1, extra: 2 }])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.want, { doc: '../etc', author: PEER, fromSeq: 1 }])))).toBe('ok')
    expect(code(() => decodeMessage(pack([TAGS.want, { doc: 'a b', author: PEER, fromSeq: 1 }])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.want, { doc: 'd', author: 'not-a-peer', fromSeq: 1 }])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.refuse, { code: 'x'.repeat(65), message: '' }])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.hello, { protocol: '1.0', accepts: '^1', role: 'agent', tenants: [], certificates: [], revocationLists: [] }])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.hello, { protocol: '1.0.0', accepts: '^1', role: 'king', tenants: [], certificates: [], revocationLists: [] }])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.envelopes, { envelopes: [1, 2] }])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.envelopes, { envelopes: Array(1025).fill(new Uint8Array(1)) }])))).toBe('bad-field')
  })

  it('never lets a prototype key through', () => {
    const evil = new Uint8Array([0x92, TAGS.have, 0x81, 0xa6, ...Buffer.from('vector'), 0x81, 0xa9, ...Buffer.from('__proto__'), 0x80])
    const msg = decodeMessage(evil) as Extract<ReturnType<typeof decodeMessage>, { type: 'have' }>
    expect(Object.hasOwn(msg.vector, '__proto__')).toBe(false)
    expect(Object.getPrototypeOf(msg.vector)).toBe(null)
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })

  it('bounds the have-vector', () => {
    const inner: Record<string, number> = {}
    for (let i = 0; i < 100_001; i++) inner[PEER.slice(0, 40) + String(i).padStart(8, 'A').replace(/0/g, 'B')] = 1
    expect(code(() => decodeMessage(pack([TAGS.have, { vector: { d: inner } }])))).toBe('bad-field')
  })

  it('encodeMessage refuses to send what a peer would refuse', () => {
    expect(code(() => encodeMessage({ type: 'ping', nonce: 1.5 }))).toBe('bad-field')
  })
})
