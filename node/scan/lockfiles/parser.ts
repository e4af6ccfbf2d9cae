// The one contract every lockfile / manifest / OS package database parser implements.
import type { Package } from '../../../protocol/index.ts'

export interface ParseContext {
  /** Path of the file being parsed, relative to the scan root (goes into Package.source). */
  path: string
  /**
   * Reads another file relative to the one being parsed (requirements `-r`/`-c`
   * includes, a dpkg root's os-release); undefined when it does not exist or is unreadable.
   */
  readRelative(relativePath: string): string | undefined
}

export interface LockfileParser {
  /** Stable id, kebab-case: `package-lock`, `yarn-lock`, `dpkg-status`… */
  id: string
  /** True when a discovered file (by its path relative to the scan root) is this parser's. */
  matches(relPath: string): boolean
  /** Packages in the file; throws LockfileError when the file is broken. Pure: no I/O but ctx. */
  parse(text: string, ctx: ParseContext): Package[]
}

export type LockfileErrorCode = 'bad-syntax' | 'bad-structure' | 'unsupported-version'

export class LockfileError extends Error {
  readonly code: LockfileErrorCode
  constructor(code: LockfileErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'LockfileError'
    this.code = code
  }
}

/** Basename of a relative path, with either separator. */
export function basename(relPath: string): string {
  const i = Math.max(relPath.lastIndexOf('/'), relPath.lastIndexOf('\\'))
  return i === -1 ? relPath : relPath.slice(i + 1)
}

/**
 * The `matches` of a parser that claims files by a rule on the whole path, with `maybe`: a
 * test of the file name alone that every path the rule claims passes. parserFor asks `maybe`
 * once per name, and the rule only of paths whose name passed (a scan offers every file).
 */
export function ruled(maybe: (name: string) => boolean, rule: (relPath: string) => boolean): ((relPath: string) => boolean) & { maybe: (name: string) => boolean } {
  return Object.assign(rule, { maybe })
}

/** The `matches` of a parser that claims files by exact name: parserFor finds it by that name, without calling it. */
export function named(...names: string[]): ((relPath: string) => boolean) & { names: readonly string[] } {
  const set = new Set(names)
  return Object.assign((relPath: string) => set.has(basename(relPath)), { names })
}
