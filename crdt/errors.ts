// Named errors of crdt/: why an envelope was refused, with a stable code.

export type EnvelopeErrorCode =
  | 'malformed' // not a decodable envelope
  | 'bad-signature' // the author did not sign these bytes
  | 'wrong-author' // the author may not write this doc
  | 'out-of-chain' // prev does not name the author's previous envelope
  | 'seq-gap' // an envelope is missing before this one
  | 'replay' // this seq is held already, with different bytes (a fork)
  | 'revoked' // the author's certificate is revoked
  | 'bad-payload' // the Yjs update does not apply

export class EnvelopeError extends Error {
  readonly code: EnvelopeErrorCode
  constructor(code: EnvelopeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'EnvelopeError'
    this.code = code
  }
}

export type DocValueErrorCode =
  | 'bad-value' // a value outside a doc's schema (a status it does not know, a score out of range…)

/** A tenant-doc write refused because the value breaks the doc's schema; nothing was written. */
export class DocValueError extends Error {
  readonly code: DocValueErrorCode
  constructor(code: DocValueErrorCode, message: string) {
    super(message)
    this.name = 'DocValueError'
    this.code = code
  }
}
