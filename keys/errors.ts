// Named errors of keys/: every failure has a stable code that tests and the CLI rely on.

export type KeyErrorCode =
  | 'exists' | 'not-found' | 'bad-passphrase' | 'no-passphrase' | 'bad-key-file'
  | 'bad-tenant-name' | 'bad-armor' | 'bad-peer-id'

export class KeyError extends Error {
  readonly code: KeyErrorCode
  constructor(code: KeyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'KeyError'
    this.code = code
  }
}

/** Why a certificate is not valid: exactly one reason. */
export type CertificateReason =
  | 'bad-signature' | 'unknown-issuer' | 'wrong-tenant' | 'expired' | 'not-yet-valid'
  | 'revoked' | 'role-not-allowed' | 'malformed'

export class CertificateError extends Error {
  readonly code: CertificateReason
  constructor(code: CertificateReason, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CertificateError'
    this.code = code
  }
}

export type RevocationErrorCode = 'stale' | 'bad-signature' | 'unknown-issuer' | 'wrong-tenant' | 'malformed'

export class RevocationError extends Error {
  readonly code: RevocationErrorCode
  constructor(code: RevocationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'RevocationError'
    this.code = code
  }
}
