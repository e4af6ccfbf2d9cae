// The contract every ecosystem's version ordering implements. Matching parses a package
// version once and compares it against many range events, so comparators split parsing
// (allocating) from comparing (allocation-free).

/** A parsed version: whatever the comparator needs, plus whether the string was well-formed. */
export interface ParsedVersion {
  /**
   * The string is a version this ecosystem publishes. Every string still parses to
   * something comparable (a total order); matching evaluates ranges only for valid ones,
   * so `file:../x` or `latest` cannot fall into `introduced: "0"`.
   */
  readonly valid: boolean
}

export interface VersionComparator<P extends ParsedVersion = ParsedVersion> {
  /** Never throws. */
  parse(v: string): P
  /** Negative, zero or positive as a sorts before, equal to or after b. */
  compareParsed(a: P, b: P): number
  /** parse + compareParsed; -1, 0 or 1. */
  compare(a: string, b: string): number
  isValid(v: string): boolean
}

/** Builds the full comparator from an ecosystem's parse and compare. */
export function comparatorOf<P extends ParsedVersion>(parse: (v: string) => P, compareParsed: (a: P, b: P) => number): VersionComparator<P> {
  return {
    parse,
    compareParsed,
    compare: (a, b) => {
      const d = compareParsed(parse(a), parse(b))
      return d < 0 ? -1 : d > 0 ? 1 : 0
    },
    isValid: (v) => parse(v).valid,
  }
}
