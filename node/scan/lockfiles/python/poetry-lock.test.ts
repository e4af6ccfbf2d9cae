import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { poetryLock } from './poetry-lock.ts'

const ctx = { path: 'app/poetry.lock', readRelative: () => undefined }
const parse = (text: string) => poetryLock.parse(text, ctx)
const summary = (text: string) => parse(text).map((p) => [p.name, p.version, p.groups ?? [], p.commit ?? ''])

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : `other: ${(err as Error).message}` }
  return undefined
}

describe('poetry-lock', () => {
  it('reads Poetry 1 categories, optional packages and git commits', () => {
    expect(summary([
      '[[package]]',
      'name = "Django"',
      'version = "4.2.1"',
      'category = "main"',
      'optional = false',
      '',
      '[[package]]',
      'name = "pytest"',
      'version = "7.0.0"',
      'category = "dev"',
      '',
      '[[package]]',
      'name = "numpy"',
      'version = "1.23.3"',
      'category = "main"',
      'optional = true',
      '',
      '[[package]]',
      'name = "ike"',
      'version = "0.2.0"',
      '[package.source]',
      'type = "git"',
      'url = "https://github.com/dzshn/ike"',
      'resolved_reference = "cd66602cd29f61a2d2e7fb995fef1e61708c034d"',
      '',
      '[metadata]',
      'lock-version = "1.1"',
      '[metadata.files]',
      'ike = []',
    ].join('\n'))).toEqual([
      ['Django', '4.2.1', [], ''],
      ['pytest', '7.0.0', ['dev'], ''],
      ['numpy', '1.23.3', ['optional'], ''],
      ['ike', '0.2.0', [], 'cd66602cd29f61a2d2e7fb995fef1e61708c034d'],
    ])
  })

  it('reads Poetry 2 groups: main is production, others are kept by name', () => {
    expect(summary([
      '[[package]]', 'name = "a"', 'version = "1"', 'groups = ["main"]',
      '[[package]]', 'name = "b"', 'version = "1"', 'groups = ["dev", "test"]',
      '[[package]]', 'name = "c"', 'version = "1"', 'groups = ["main", "dev"]',
      '[[package]]', 'name = "d"', 'version = "1"', 'groups = ["main"]', 'optional = true',
    ].join('\n'))).toEqual([
      ['a', '1', [], ''],
      ['b', '1', ['dev', 'test'], ''],
      ['c', '1', [], ''],
      ['d', '1', ['optional'], ''],
    ])
  })

  it('fills package source and keeps a legacy source without commit', () => {
    const [p] = parse('[[package]]\nname = "Zope.Interface"\nversion = "5.4.0"\n[package.source]\ntype = "legacy"\nreference = "private"\n')
    expect(p).toEqual({ ecosystem: 'PyPI', name: 'Zope.Interface', version: '5.4.0', source: 'app/poetry.lock' })
  })

  it('gives nothing for an empty file or a lockfile without packages', () => {
    expect(parse('')).toEqual([])
    expect(parse('[metadata]\nlock-version = "2.1"\n')).toEqual([])
  })

  it('refuses broken TOML and wrongly typed fields', () => {
    expect(codeOf(() => parse('this is not valid toml! (I think)'))).toBe('bad-syntax')
    expect(codeOf(() => parse('[[package]]\nname = "a"\nversion = 1\n'))).toBe('bad-structure')
    expect(codeOf(() => parse('[[package]]\nname = "a"\nversion = "1"\ngroups = "dev"\n'))).toBe('bad-structure')
  })

  it('claims poetry.lock only', () => {
    expect(poetryLock.matches('poetry.lock')).toBe(true)
    expect(poetryLock.matches('svc\\api\\poetry.lock')).toBe(true)
    expect(poetryLock.matches('poetry.lock.bak')).toBe(false)
    expect(poetryLock.matches('pyproject.toml')).toBe(false)
  })
})
