// CLI outcomes that are not plain success. main.ts maps them to exit codes in one place.

/** Bad arguments: exit 2 with the command's usage hint. */
export class UsageError extends Error {
  readonly code = 'usage'
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A check the user asked for failed (invalid certificate, findings over a threshold): exit 1. */
export class CheckFailed extends Error {
  readonly code = 'check-failed'
  constructor(message: string) {
    super(message)
    this.name = 'CheckFailed'
  }
}
