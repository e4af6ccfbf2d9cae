// Named errors of the wire format: every decoder failure is a ProtocolError with a stable code.

export type ProtocolErrorCode =
  | 'unknown-tag'
  | 'truncated'
  | 'oversize'
  | 'bad-encoding'
  | 'bad-field'
  | 'bad-version'

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode
  constructor(code: ProtocolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ProtocolError'
    this.code = code
  }
}
