// Messages of the sync protocol /zerotrace/sync/1.1.0: a numeric tag and a map of fields,
// encoded as the msgpack array [tag, fields]. One decoder dispatches on the tag, validates
// every field into a typed value, and lets nothing but ProtocolError escape.
import { pack } from './encoding.ts'
import { ProtocolError } from './errors.ts'
import { MAX_ENVELOPE } from './envelope.ts'
import { arr, asMap, bin, binView, docName, oneOf, onlyKeys, peerId, str, tenantName, type Fields, uint } from './fields.ts'
import { unpackUntrusted, type UnpackLimits } from './untrusted-msgpack.ts'

export const TAGS = {
  hello: 1, refuse: 2, 'revocation-list': 3, have: 4, envelopes: 5, ack: 6, want: 7, advisories: 8, ping: 9, pong: 10, certificates: 11,
} as const

export type MessageType = keyof typeof TAGS

/** Every bound a decoder enforces; a message must also fit in one frame (MAX_FRAME). */
export const LIMITS = {
  certificates: 16, certificateBytes: 64 * 1024, forwardedCertificates: 48, tenants: 64, revocationListBytes: 4 * 1024 * 1024,
  haveEntries: 100_000, envelopesPerBatch: 1024, acksPerMessage: 10_000, advisoryUpdateBytes: MAX_ENVELOPE,
  codeLength: 64, messageLength: 1024, versionLength: 64, rangeLength: 256,
} as const

// The largest legitimate message is a full have-vector: per doc a key and a map, per author a
// key and a seq, and a handful of values around them. Nothing may be deeper than hello's
// [tag, {revocationLists: [{…}]}] or have's [tag, {vector: {doc: {…}}}].
export const MESSAGE_LIMITS: UnpackLimits = { maxNodes: 4 * LIMITS.haveEntries + 16, maxDepth: 4 }

export type PeerRole = 'agent' | 'relay' | 'hub'

export type Message =
  | { type: 'hello', protocol: string, accepts: string, role: PeerRole, tenants: string[], certificates: Uint8Array[], revocationLists: { tenant: string, version: number }[] }
  | { type: 'refuse', code: string, message: string }
  | { type: 'revocation-list', list: Uint8Array }
  | { type: 'have', vector: Record<string, Record<string, number>> }
  | { type: 'envelopes', envelopes: Uint8Array[] }
  | { type: 'ack', acks: { doc: string, author: string, seq: number }[] }
  | { type: 'want', doc: string, author: string, fromSeq: number }
  | { type: 'advisories', update: Uint8Array }
  | { type: 'ping', nonce: number }
  | { type: 'pong', nonce: number }
  | { type: 'certificates', certificates: Uint8Array[] }

const TYPE_OF_TAG = new Map<number, MessageType>(Object.entries(TAGS).map(([k, v]) => [v, k as MessageType]))

/** The msgpack bytes of a message (validated first, so we never send what we would refuse). */
export function encodeMessage(msg: Message): Uint8Array {
  const { type, ...fields } = msg
  const bytes = pack([TAGS[type], fields])
  decodeMessage(bytes)
  return bytes
}

/** Typed message from untrusted bytes; every failure is a ProtocolError with a code. */
export function decodeMessage(bytes: Uint8Array): Message {
  const raw = unpackUntrusted(bytes, MESSAGE_LIMITS, 'message')
  if (!Array.isArray(raw) || raw.length !== 2) throw new ProtocolError('bad-encoding', 'a message is [tag, fields]')
  const [tag, body] = raw
  if (typeof tag !== 'number' || !Number.isInteger(tag)) throw new ProtocolError('bad-encoding', 'tag must be an integer')
  const type = TYPE_OF_TAG.get(tag)
  if (type === undefined) throw new ProtocolError('unknown-tag', `unknown message tag ${tag}`)
  try {
    return DECODERS[type](asMap(body, type))
  } catch (err) {
    if (err instanceof ProtocolError) throw err
    throw new ProtocolError('bad-field', `${type}: ${(err as Error).message}`, { cause: err })
  }
}

// Versions are only checked for shape here; whether they match is isCompatible's call, so a
// peer from the future gets `refuse {code: 'bad-version'}` rather than a decoding error.
const VERSION = /^[0-9A-Za-z.+-]+$/
const RANGE = /^[0-9A-Za-z.+\-^~<>=|* ]+$/

function unique<T>(items: T[], key: (t: T) => string, field: string): T[] {
  const seen = new Set(items.map(key))
  if (seen.size !== items.length) throw new ProtocolError('bad-field', `${field}: duplicate entries`)
  return items
}

const DECODERS: { [K in MessageType]: (m: Fields) => Extract<Message, { type: K }> } = {
  hello(m) {
    onlyKeys(m, ['protocol', 'accepts', 'role', 'tenants', 'certificates', 'revocationLists'], 'hello')
    return {
      type: 'hello',
      protocol: str(m, 'protocol', LIMITS.versionLength, VERSION),
      accepts: str(m, 'accepts', LIMITS.rangeLength, RANGE),
      role: oneOf(m, 'role', ['agent', 'relay', 'hub'] as const),
      tenants: unique(arr(m, 'tenants', LIMITS.tenants).map((t) => tenantName({ 'tenants[]': t }, 'tenants[]')), (t) => t, 'tenants'),
      certificates: arr(m, 'certificates', LIMITS.certificates).map((c) => bin({ 'certificates[]': c }, 'certificates[]', LIMITS.certificateBytes)),
      revocationLists: unique(arr(m, 'revocationLists', LIMITS.tenants).map((r) => {
        const e = asMap(r, 'revocationLists[]')
        onlyKeys(e, ['tenant', 'version'], 'revocationLists[]')
        return { tenant: tenantName(e, 'tenant'), version: uint(e, 'version') }
      }), (r) => r.tenant, 'revocationLists'),
    }
  },
  refuse(m) {
    onlyKeys(m, ['code', 'message'], 'refuse')
    return { type: 'refuse', code: str(m, 'code', LIMITS.codeLength, /^[a-z0-9-]+$/), message: str(m, 'message', LIMITS.messageLength) }
  },
  'revocation-list'(m) {
    onlyKeys(m, ['list'], 'revocation-list')
    return { type: 'revocation-list', list: bin(m, 'list', LIMITS.revocationListBytes) }
  },
  have(m) {
    onlyKeys(m, ['vector'], 'have')
    // Built with no prototype: a doc or author named like an Object.prototype member stays data.
    const vector: Record<string, Record<string, number>> = Object.create(null)
    const docs = Object.entries(asMap(m.vector, 'vector'))
    if (docs.length > LIMITS.haveEntries) throw new ProtocolError('bad-field', `vector: more than ${LIMITS.haveEntries} docs`)
    let entries = 0
    for (const [doc, authors] of docs) {
      docName({ doc }, 'doc')
      const inner: Record<string, number> = Object.create(null)
      for (const [author, seq] of Object.entries(asMap(authors, `vector.${doc}`))) {
        if (++entries > LIMITS.haveEntries) throw new ProtocolError('bad-field', `vector: more than ${LIMITS.haveEntries} entries`)
        peerId({ author }, 'author')
        inner[author] = uint({ seq }, 'seq')
      }
      vector[doc] = inner
    }
    return { type: 'have', vector }
  },
  envelopes(m) {
    onlyKeys(m, ['envelopes'], 'envelopes')
    // Views of the frame: each is decoded (decodeEnvelope copies it once) before the frame goes.
    return { type: 'envelopes', envelopes: arr(m, 'envelopes', LIMITS.envelopesPerBatch).map((e) => binView({ 'envelopes[]': e }, 'envelopes[]', MAX_ENVELOPE)) }
  },
  ack(m) {
    onlyKeys(m, ['acks'], 'ack')
    return {
      type: 'ack',
      acks: arr(m, 'acks', LIMITS.acksPerMessage).map((a) => {
        const e = asMap(a, 'acks[]')
        onlyKeys(e, ['doc', 'author', 'seq'], 'acks[]')
        return { doc: docName(e, 'doc'), author: peerId(e, 'author'), seq: uint(e, 'seq') }
      }),
    }
  },
  want(m) {
    onlyKeys(m, ['doc', 'author', 'fromSeq'], 'want')
    return { type: 'want', doc: docName(m, 'doc'), author: peerId(m, 'author'), fromSeq: uint(m, 'fromSeq', 1) }
  },
  advisories(m) {
    onlyKeys(m, ['update'], 'advisories')
    return { type: 'advisories', update: bin(m, 'update', LIMITS.advisoryUpdateBytes) }
  },
  ping(m) {
    onlyKeys(m, ['nonce'], 'ping')
    return { type: 'ping', nonce: uint(m, 'nonce') }
  },
  pong(m) {
    onlyKeys(m, ['nonce'], 'pong')
    return { type: 'pong', nonce: uint(m, 'nonce') }
  },
  certificates(m) {
    onlyKeys(m, ['certificates'], 'certificates')
    return { type: 'certificates', certificates: arr(m, 'certificates', LIMITS.forwardedCertificates).map((c) => bin({ 'certificates[]': c }, 'certificates[]', LIMITS.certificateBytes)) }
  },
}
