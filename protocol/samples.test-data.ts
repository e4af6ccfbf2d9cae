// Valid sample messages and envelopes, shared by the protocol tests and the fuzz test.
import { encodeEnvelope, envelopeBody, GENESIS_PREV } from './envelope.ts'
import type { Message } from './messages.ts'

export const PEER = '12D3KooWRZkujJ11mkV4rjUo6BA6ag2Gx1njVYRWmNswesUbn3VT'

export const SAMPLE_MESSAGES: Message[] = [
  { type: 'hello', protocol: '1.0.0', accepts: '^1.0.0', role: 'agent', tenants: ['acme'], certificates: [new Uint8Array([1, 2, 3])], revocationLists: [{ tenant: 'acme', version: 2 }] },
  { type: 'refuse', code: 'wrong-tenant', message: 'certificate is for another tenant' },
  { type: 'revocation-list', list: new Uint8Array(100).fill(9) },
  { type: 'have', vector: { [`findings/${PEER}`]: { [PEER]: 42 }, 'acme/triage': {} } },
  { type: 'envelopes', envelopes: [sampleEnvelope(1), sampleEnvelope(2)] },
  { type: 'ack', acks: [{ doc: `findings/${PEER}`, author: PEER, seq: 42 }] },
  { type: 'want', doc: `findings/${PEER}`, author: PEER, fromSeq: 7 },
  { type: 'advisories', update: new Uint8Array([0xde, 0xad]) },
  { type: 'ping', nonce: 12345 },
  { type: 'pong', nonce: 12345 },
  { type: 'certificates', certificates: [new Uint8Array([4, 5, 6])] },
]

export function sampleEnvelope(seq: number): Uint8Array {
  const body = envelopeBody({ v: 1, doc: `findings/${PEER}`, author: PEER, seq, prev: GENESIS_PREV, ts: 1_764_000_000_000, kind: 'yjs', payload: new Uint8Array(64).fill(seq) })
  return encodeEnvelope(body, new Uint8Array(64).fill(7))
}
