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
