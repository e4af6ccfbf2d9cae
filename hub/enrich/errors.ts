// Named errors of hub/enrich.

export type EnrichErrorCode = 'bad-source' | 'locked' | 'bad-vex' | 'closed'

/** An enrichment input cannot be used at all (one bad line or entry is counted, not thrown). */
export class EnrichError extends Error {
  readonly code: EnrichErrorCode
  constructor(code: EnrichErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'EnrichError'
    this.code = code
  }
}
