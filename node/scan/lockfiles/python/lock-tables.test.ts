import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { readLockTables, stringField, stringsField, tableField } from './lock-tables.ts'

const KEYS = new Set(['name', 'version', 'source'])
const read = (text: string, rootKeys?: Set<string>) => readLockTables(text, 'test.lock', { array: 'package', keys: KEYS, rootKeys })
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : `other: ${(err as Error).message}` }
  return undefined
}

describe('readLockTables', () => {
  it('keeps the wanted keys of each entry, however the value is written', () => {
    const { entries } = read([
      'version = 1',
      '[[package]]',
      'name = "inline"',
      'version = "1.0"',
      'description = "dropped"',
      'source = { type = "git", resolved_reference = "abc" }',
      '',
      '[[package]]',
      'name = "dotted"',
      'source.type = "git"',
      '',
      '[[package]]',
      'name = "subtable"',
      '[package.source]',
      'type = "legacy"',
      'url = "https://example.invalid"',
      '[package.dependencies]',
      'name = "not-the-package-name"',
      '[[package.wheels]]',
      'name = "also-not"',
      '[package.tool.x]',
      'name = "nor-this"',
      '',
      '[metadata]',
      'name = "metadata-is-not-a-package"',
    ].join('\n'))
    expect(plain(entries)).toEqual([
      { name: 'inline', version: '1.0', source: { type: 'git', resolved_reference: 'abc' } },
      { name: 'dotted', source: { type: 'git' } },
      { name: 'subtable', source: { type: 'legacy', url: 'https://example.invalid' } },
    ])
  })

  it('reads packages written as an inline array in the root table', () => {
    const { entries } = read('package = [\n  { name = "a", version = "1", extra = 1 },\n  { name = "b" },\n]\n')
    expect(plain(entries)).toEqual([{ name: 'a', version: '1' }, { name: 'b' }])
  })

  it('keeps the wanted keys of the root table, only those before the first header', () => {
    const { root, entries } = read('lock-version = "1.0"\nother = 2\n[[package]]\nname = "a"\n[tool]\nlock-version = "x"\n', new Set(['lock-version']))
    expect(plain(root)).toEqual({ 'lock-version': '1.0' })
    expect(entries).toHaveLength(1)
  })

  it('skips a byte order mark', () => {
    expect(read('\ufeff[[package]]\nname = "a"\n').entries).toHaveLength(1)
  })

  it.each([
    ['a plain [package] table', '[package]\nname = "a"\n'],
    ['a string where the array belongs', 'package = "a"\n'],
    ['an array of numbers', 'package = [1, 2]\n'],
    ['a value turned into a table', '[[package]]\nsource = "x"\n[package.source]\ntype = "git"\n'],
  ])('refuses %s as bad-structure', (_, text) => {
    expect(codeOf(() => read(text))).toBe('bad-structure')
  })

  it('refuses broken TOML as bad-syntax', () => {
    expect(codeOf(() => read('[[package]]\nname = "a\n'))).toBe('bad-syntax')
  })

  it('typed reads refuse fields of the wrong type', () => {
    const { entries } = read('[[package]]\nname = 1\nversion = ["x"]\nsource = "git"\n')
    const e = entries[0]!
    expect(codeOf(() => stringField(e, 'name', 'test.lock'))).toBe('bad-structure')
    expect(codeOf(() => stringsField(e, 'version', 'test.lock'))).toBeUndefined()
    expect(codeOf(() => tableField(e, 'source', 'test.lock'))).toBe('bad-structure')
    expect(stringField(e, 'missing', 'test.lock')).toBeUndefined()
  })
})
