import { describe, it, expect } from 'vitest'
import { pack } from './encoding.ts'
import { ProtocolError } from './errors.ts'
import { decodeMessage, encodeMessage, LIMITS, TAGS, type MessageType } from './messages.ts'
import { PEER, SAMPLE_MESSAGES } from './samples.test-data.ts'

const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof ProtocolError) return err.code; throw err } }
const raw = (type: MessageType, fields: unknown) => code(() => decodeMessage(pack([TAGS[type], fields])))
const fieldsOf = (type: MessageType): Record<string, unknown> => {
  const { type: _, ...fields } = SAMPLE_MESSAGES.find((m) => m.type === type)!
  return fields
}
const DOC = `findings/${PEER}`

describe('sync messages', () => {
  it('every message type round-trips, each under its own tag', () => {
    expect(new Set(SAMPLE_MESSAGES.map((m) => m.type)).size).toBe(Object.keys(TAGS).length)
    for (const msg of SAMPLE_MESSAGES) {
      const bytes = encodeMessage(msg)
      expect(bytes[0]).toBe(0x92)
      expect(bytes[1]).toBe(TAGS[msg.type])
      expect(decodeMessage(bytes)).toEqual(msg)
    }
  })

  it('each sample is valid as written (the refusals below start from it)', () => {
    for (const type of Object.keys(TAGS) as MessageType[]) expect(raw(type, fieldsOf(type))).toBe('ok')
  })

  it('names what is wrong with the frame itself', () => {
    expect(raw('ping', { nonce: 1 })).toBe('ok')
    expect(code(() => decodeMessage(pack([99, {}])))).toBe('unknown-tag')
    expect(code(() => decodeMessage(pack([0, {}])))).toBe('unknown-tag')
    expect(code(() => decodeMessage(pack([-1, {}])))).toBe('unknown-tag')
    expect(code(() => decodeMessage(pack({ tag: 1 })))).toBe('bad-encoding')
    expect(code(() => decodeMessage(pack([TAGS.ping])))).toBe('bad-encoding')
    expect(code(() => decodeMessage(pack([TAGS.ping, { nonce: 1 }, 3])))).toBe('bad-encoding')
    expect(code(() => decodeMessage(pack(['9', { nonce: 1 }])))).toBe('bad-encoding')
    expect(code(() => decodeMessage(pack([9.5, { nonce: 1 }])))).toBe('bad-encoding')
    expect(code(() => decodeMessage(new Uint8Array([0xc1])))).toBe('bad-encoding')
    expect(code(() => decodeMessage(new Uint8Array(0)))).toBe('bad-encoding')
    expect(code(() => decodeMessage(pack([TAGS.ping, [1]])))).toBe('bad-field')
    expect(code(() => decodeMessage(pack([TAGS.ping, null])))).toBe('bad-field')
  })

  // [message, fields to put over the sample's, expected code]
  const cases: [MessageType, Record<string, unknown>, string][] = [
    // unknown and missing fields are refused, never ignored: a new field is a new version
    ['ping', { extra: 2 }, 'bad-field'],
    ['ping', { nonce: undefined }, 'bad-field'],
    ['ping', { nonce: 'x' }, 'bad-field'],
    ['ping', { nonce: -1 }, 'bad-field'],
    ['ping', { nonce: 1.5 }, 'bad-field'],
    ['ping', { nonce: 2 ** 53 }, 'bad-field'],
    ['pong', { nonce: null }, 'bad-field'],
    ['hello', { protocol: '2.0.0-rc.1+build.5' }, 'ok'],
    ['hello', { protocol: '' }, 'bad-field'],
    ['hello', { protocol: '1.0.0 ' }, 'bad-field'],
    ['hello', { protocol: '1'.repeat(LIMITS.versionLength + 1) }, 'bad-field'],
    ['hello', { accepts: '>=1.0.0 <3 || 4.x' }, 'ok'],
    ['hello', { accepts: '^1\n' }, 'bad-field'],
    ['hello', { role: 'king' }, 'bad-field'],
    ['hello', { role: 'hub' }, 'ok'],
    ['hello', { tenants: ['Acme'] }, 'bad-field'],
    ['hello', { tenants: ['acme', 'acme'] }, 'bad-field'],
    ['hello', { tenants: Array.from({ length: LIMITS.tenants + 1 }, (_, i) => `t${i}`) }, 'bad-field'],
    ['hello', { tenants: 'acme' }, 'bad-field'],
    ['hello', { certificates: ['cert'] }, 'bad-field'],
    ['hello', { certificates: Array(LIMITS.certificates + 1).fill(new Uint8Array(1)) }, 'bad-field'],
    ['hello', { certificates: [new Uint8Array(LIMITS.certificateBytes + 1)] }, 'bad-field'],
    ['hello', { revocationLists: [{ tenant: 'acme', version: 1, extra: 1 }] }, 'bad-field'],
    ['hello', { revocationLists: [{ tenant: 'acme', version: -1 }] }, 'bad-field'],
    ['hello', { revocationLists: [{ tenant: 'acme', version: 1 }, { tenant: 'acme', version: 2 }] }, 'bad-field'],
    ['refuse', { code: 'x'.repeat(LIMITS.codeLength + 1) }, 'bad-field'],
    ['refuse', { code: 'Bad_Code' }, 'bad-field'],
    ['refuse', { message: 'm'.repeat(LIMITS.messageLength + 1) }, 'bad-field'],
    ['refuse', { message: 'm'.repeat(LIMITS.messageLength) }, 'ok'],
    ['revocation-list', { list: 'text' }, 'bad-field'],
    ['revocation-list', { list: new Uint8Array(LIMITS.revocationListBytes + 1) }, 'bad-field'],
    ['have', { vector: [] }, 'bad-field'],
    ['have', { vector: { 'a b': {} } }, 'bad-field'],
    ['have', { vector: { ['d'.repeat(201)]: {} } }, 'bad-field'],
    ['have', { vector: { ['d'.repeat(200)]: {} } }, 'ok'],
    ['have', { vector: { [DOC]: { 'not-a-peer': 1 } } }, 'bad-field'],
    ['have', { vector: { [DOC]: { [PEER]: -1 } } }, 'bad-field'],
    ['have', { vector: { [DOC]: { [PEER]: '1' } } }, 'bad-field'],
    ['have', { vector: { [DOC]: [] } }, 'bad-field'],
    ['envelopes', { envelopes: [1, 2] }, 'bad-field'],
    ['envelopes', { envelopes: Array(LIMITS.envelopesPerBatch + 1).fill(new Uint8Array(1)) }, 'bad-field'],
    ['envelopes', { envelopes: [] }, 'ok'],
    ['ack', { acks: [{ doc: DOC, author: PEER }] }, 'bad-field'],
    ['ack', { acks: [{ doc: DOC, author: PEER, seq: 1, at: 2 }] }, 'bad-field'],
    ['ack', { acks: [{ doc: DOC, author: PEER, seq: 1.5 }] }, 'bad-field'],
    ['ack', { acks: Array(LIMITS.acksPerMessage + 1).fill({ doc: DOC, author: PEER, seq: 1 }) }, 'bad-field'],
    ['want', { doc: '../etc' }, 'ok'],
    ['want', { doc: 'a b' }, 'bad-field'],
    ['want', { doc: '' }, 'bad-field'],
    ['want', { author: 'not-a-peer' }, 'bad-field'],
    ['want', { author: `${PEER}0` }, 'bad-field'], // 0 is not base58
    ['want', { author: 'A'.repeat(61) }, 'bad-field'],
    ['want', { fromSeq: 0 }, 'bad-field'],
    ['advisories', { update: [1, 2] }, 'bad-field'],
    ['advisories', { update: new Uint8Array(LIMITS.advisoryUpdateBytes + 1) }, 'bad-field'],
  ]

  it.each(cases)('%s with %j is %s', (type, change, expected) => {
    const fields = { ...fieldsOf(type), ...change }
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete fields[k]
    expect(raw(type, fields)).toBe(expected)
  })

  it('never lets a prototype key through', () => {
    const evil = new Uint8Array([0x92, TAGS.have, 0x81, 0xa6, ...Buffer.from('vector'), 0x81, 0xa9, ...Buffer.from('__proto__'), 0x80])
    expect(code(() => decodeMessage(evil))).toBe('bad-field')
    expect(raw('have', { vector: { constructor: {} } })).toBe('bad-field')
    // Names that are Object.prototype members stay plain data in a prototype-less map.
    const msg = decodeMessage(pack([TAGS.have, { vector: { toString: { [PEER]: 1 } } }]))
    expect(msg.type === 'have' && Object.getPrototypeOf(msg.vector)).toBe(null)
    expect(msg.type === 'have' && msg.vector.toString).toEqual({ [PEER]: 1 })
    expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString)
  })

  it('bounds the have-vector in authors and in docs', () => {
    const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
    const id = (i: number) => PEER.slice(0, 44) + Array.from({ length: 8 }, (_, k) => B58[Math.floor(i / 58 ** k) % 58]).join('')
    const authors = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [id(i), 1]))
    expect(raw('have', { vector: { a: authors(50_000), b: authors(50_000) } })).toBe('ok')
    expect(raw('have', { vector: { a: authors(50_000), b: authors(50_001) } })).toBe('bad-field')
    const docs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`d${i}`, {}]))
    expect(raw('have', { vector: docs(LIMITS.haveEntries) })).toBe('ok')
    expect(raw('have', { vector: docs(LIMITS.haveEntries + 1) })).toBe('bad-field')
  })

  it('encodeMessage refuses to send what a peer would refuse', () => {
    expect(code(() => encodeMessage({ type: 'ping', nonce: 1.5 }))).toBe('bad-field')
    expect(code(() => encodeMessage({ type: 'want', doc: 'a b', author: PEER, fromSeq: 1 }))).toBe('bad-field')
    const sneaky = { type: 'ping', nonce: 1, extra: true } as unknown as Parameters<typeof encodeMessage>[0]
    expect(code(() => encodeMessage(sneaky))).toBe('bad-field')
  })
})
