// Defaults of the advisory DB, in one place.

export const DB_DEFAULTS = {
  /** Records per atomic write: large enough to amortise LevelDB's write, small enough to bound memory. */
  batchSize: 1_000,
  /** Decoded records kept for lookups (a Go or PyPI record decodes to a few KiB). */
  cacheRecords: 5_000,
  /** Opening waits this long for another process to release the DB. */
  lockTimeoutMs: 1_000,
  lockRetryMs: 50,
  /** Invalid records reported by place and reason per import; all are counted. */
  maxReportedErrors: 1_000,
} as const
