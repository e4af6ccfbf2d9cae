// Named errors of advisories/.

export type AdvisoryErrorCode = 'bad-record' | 'bad-cvss' | 'bad-source'

export class AdvisoryError extends Error {
  readonly code: AdvisoryErrorCode
  constructor(code: AdvisoryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AdvisoryError'
    this.code = code
  }
}

export type AdvisoryDbErrorCode = 'locked' | 'unreadable'

/** The advisory DB cannot be used: another process holds it (`locked`), or its bookkeeping is damaged (`unreadable`). */
export class AdvisoryDbError extends Error {
  readonly code: AdvisoryDbErrorCode
  constructor(code: AdvisoryDbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AdvisoryDbError'
    this.code = code
  }
}
