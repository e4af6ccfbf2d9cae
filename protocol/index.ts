// protocol/: the wire format. Pure: encoding, framing, messages, validation; no I/O.
export { pack, unpack } from './encoding.ts'
export { ProtocolError, type ProtocolErrorCode } from './errors.ts'
export { baseEcosystem, normalizeName, purlOf, type Package, type DepGroup } from './package.ts'
