import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { cargoLock } from './cargo-lock.ts'

const ctx = { path: 'Cargo.lock', readRelative: () => undefined }
const parse = (text: string) => cargoLock.parse(text, ctx)

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : 'other' }
  return undefined
}

describe('cargo-lock', () => {
  it('reads packages with arrays on one or many lines, comments and escapes, and git commits', () => {
    const pkgs = parse([
      'version = 4',
      '',
      '[[package]]',
      'name = "with-deps" # trailing comment',
      'version = "1.0.0"',
      'dependencies = [',
      ' "odd ] name",',
      ' # a comment inside the array',
      ' "other",',
      ']',
      '',
      '[[package]]',
      "name = 'literal'",
      'version = "2.0.0-\\u0062eta"',
      'source = "git+https://github.com/o/r?branch=main#0123456789abcdef"',
      'dependencies = ["a", "b"]',
      '',
      '[[patch.unused]]',
      'name = "unused"',
      'version = "9.9.9"',
      '',
      '[metadata]',
      '"checksum x 1.0 (registry+https://example.invalid)" = "abc"',
    ].join('\n'))
    expect(pkgs.map((p) => `${p.name}@${p.version}`)).toEqual(['with-deps@1.0.0', 'literal@2.0.0-beta'])
    expect(pkgs[1]).toMatchObject({ ecosystem: 'crates.io', commit: '0123456789abcdef', name: 'literal', version: '2.0.0-beta' })
    expect(pkgs[0]!.commit).toBeUndefined()
  })

  it('rejects what is not TOML of a lockfile', () => {
    expect(codeOf(() => parse('[[package]]\n<<<<<<< HEAD\nname = "a"\n'))).toBe('bad-syntax')
    expect(codeOf(() => parse('[[package]]\nname = "a\n'))).toBe('bad-syntax')
    expect(codeOf(() => parse('[[package]]\nname = "a"\nversion = "1"\ndependencies = [\n "x",\n'))).toBe('bad-syntax')
    expect(codeOf(() => parse('[[package\nname = "a"\n'))).toBe('bad-syntax')
    expect(codeOf(() => parse('name =\n'))).toBe('bad-syntax')
  })

  it('rejects a package without a name or version, or with a non-string one', () => {
    expect(codeOf(() => parse('[[package]]\nname = "a"\n\n[[package]]\nname = "b"\nversion = "1"\n'))).toBe('bad-structure')
    expect(codeOf(() => parse('[[package]]\nname = "a"\nversion = 1\n'))).toBe('bad-structure')
  })

  it('claims Cargo.lock only', () => {
    expect(cargoLock.matches('crates/x/Cargo.lock')).toBe(true)
    expect(cargoLock.matches('crates/x/Cargo.toml')).toBe(false)
  })
})
