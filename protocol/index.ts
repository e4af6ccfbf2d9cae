// protocol/: the wire format. Pure: encoding, framing, messages, envelopes, validation; no I/O.
// PROTOCOL.md states the bytes.
export { pack, unpack } from './encoding.ts'
export { ProtocolError, type ProtocolErrorCode } from './errors.ts'
export { baseEcosystem, normalizeName, purlOf, type Package, type DepGroup } from './package.ts'
export { scanMsgpack, unpackUntrusted, type UnpackLimits } from './untrusted-msgpack.ts'
export {
  envelopeBody, encodeEnvelope, decodeEnvelope, GENESIS_PREV, MAX_PAYLOAD, MAX_ENVELOPE, ENVELOPE_KINDS, ENVELOPE_VERSION,
  type Envelope, type EnvelopeFields, type EnvelopeKind, type EnvelopeLimits,
} from './envelope.ts'
export { bodyDigestAsync, envelopeHash, signedBytes } from './envelope-digest.ts'
export { envelopeFrame, FRAME_ROOM_BEFORE, FRAME_ROOM_AFTER, type EnvelopeFrame } from './envelope-frame.ts'
export { encodeMessage, decodeMessage, TAGS, LIMITS, MESSAGE_LIMITS, type Message, type MessageType, type PeerRole } from './messages.ts'
export { encodeFrame, encodeVarint, decodeFrames, FrameDecoder, MAX_FRAME } from './frame.ts'
export { SYNC_PROTOCOL_ID, PROTOCOL_VERSION, ACCEPTS, ZEROTRACE_VERSION, SOFTWARE_VERSION, isCompatible } from './version.ts'
export { giveBackMemory, HeapBudget, relaxHeapGrowth, type HeapBudgetOptions } from './heap.ts'
export { syscalls, type Syscalls } from './native-syscalls.ts'
