// Defaults of the hub's enrichment, in one place.

export const ENRICH_DEFAULTS = {
  /** The hub's advisory DB (OSV records, EPSS, KEV) lives in `<hub data>/advisories`. */
  dbDir: 'advisories',
  /** EPSS/KEV entries per atomic write. */
  batchSize: 5_000,
  /** Bad lines or entries named per import; all are counted. */
  maxReportedErrors: 100,
  /** A KEV catalog is ~1.5 MB; anything this large is not one. */
  maxKevBytes: 64 << 20,
  /** An EPSS line is ~40 bytes; a longer one is refused unparsed. */
  maxEpssLineChars: 1_000,
  /** An OpenVEX document is read whole; this bounds it. */
  maxVexBytes: 16 << 20,
  /** Entries of listed packages handed to a worker per task. */
  rematchTaskEntries: 2_000,
  /** Entries of listed packages queued before they go to the workers. */
  rematchPendingEntries: 200_000,
  /** Worker threads for re-matching (default: cores − 1, at least 1, at most 4). */
  rematchThreads: 0,
} as const
