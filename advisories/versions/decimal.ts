// Decimal integers of any length, kept as digit strings: version parts such as Go
// pseudo-version timestamps or `_git20230101123456` exceed what a double holds exactly,
// and comparing strings by length then lexically costs no allocation.

/** Strips leading zeros ("007" → "7", "000" → "0"). Expects digits only. */
export function trimZeros(digits: string): string {
  let i = 0
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++
  return i === 0 ? digits : digits.slice(i)
}

/** Compares two digit strings without leading zeros. */
export function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

/** Lexical comparison by UTF-16 code unit, as C's strcmp and Ruby's <=> order ASCII. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57
}

export function isAllDigits(s: string): boolean {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) if (!isDigitCode(s.charCodeAt(i))) return false
  return true
}
