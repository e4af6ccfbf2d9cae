// The contract every ecosystem's version ordering implements.

export interface VersionComparator {
  /** Negative, zero or positive as a sorts before, equal to or after b. Total: never throws. */
  compare(a: string, b: string): number
}
