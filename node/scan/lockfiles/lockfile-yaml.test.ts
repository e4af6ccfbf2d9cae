import { describe, expect, it } from 'vitest'
import { LockfileError } from './parser.ts'
import { parseLockfileYaml, readSubset } from './lockfile-yaml.ts'

describe('lockfile-yaml', () => {
  it('reads block mappings of scalars directly, with any consistent indentation', () => {
    const doc = readSubset([
      '# comment',
      'packages:',
      ' odd_indent:',
      '    "quoted key": \'it\'\'s\'',
      '    plain: value # comment',
      '    url: https://pub.dev',
      '    empty:',
      '    nested:',
      '      x: "a \\"b\\""',
      'sdks: {}',
      'last:',
    ].join('\r\n'))
    expect(doc).toEqual({
      packages: { odd_indent: { 'quoted key': "it's", plain: 'value', url: 'https://pub.dev', empty: null, nested: { x: 'a "b"' } } },
      sdks: {},
      last: null,
    })
  })

  it('reads block sequences, one-line flow collections and keeps the last document', () => {
    expect(readSubset('a:\n  - b\n  - "c d"\nk:\n- x\nm: 1\n')).toEqual({ a: ['b', 'c d'], k: ['x'], m: '1' })
    expect(readSubset('r: {integrity: sha512-x, tarball: "t"}\ncpu: [x64, arm64,]\n'))
      .toEqual({ r: { integrity: 'sha512-x', tarball: 't' }, cpu: ['x64', 'arm64'] })
    expect(readSubset('---\nfirst: 1\n---\nsecond: 2\n')).toEqual({ second: '2' })
    // The same answer as the full parser, which also keeps the last document.
    expect(parseLockfileYaml('---\nfirst: [1\n  ]\n---\nsecond: 2\n', 'x')).toEqual({ second: '2' })
  })

  it('leaves everything beyond that subset to the full parser', () => {
    for (const text of ['a: &x b\n', 'a: |\n  text\n', 'a: b\n  c\n', 'a: b\na: c\n', 'a: [1,\n  2]\n', '- top\n', 'a: "x\\u0041"\n']) {
      expect(readSubset(text), text).toBeUndefined()
    }
    expect(parseLockfileYaml('a: [1,\n  2]\n', 'x')).toEqual({ a: ['1', '2'] })
    expect(parseLockfileYaml('a: "x\\u0041"\n', 'x')).toEqual({ a: 'xA' })
    expect(parseLockfileYaml('a:\n  b: 1.10\n', 'x')).toEqual({ a: { b: '1.10' } })
  })

  it('names invalid YAML as bad-syntax', () => {
    for (const text of ['a: b\na: c\n', 'a: [1, 2\n', 'a:\n  b: c\n d: e\n']) {
      try {
        parseLockfileYaml(text, 'x')
        expect.unreachable(text)
      } catch (err) {
        expect((err as LockfileError).code, text).toBe('bad-syntax')
      }
    }
  })
})

describe('lockfile-yaml keys', () => {
  it('keeps __proto__ as an ordinary key', () => {
    const doc = readSubset('packages:\n  __proto__:\n    version: "1"\n') as Record<string, unknown>
    const packages = doc.packages as Record<string, unknown>
    expect(Object.keys(packages)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(packages)).toBeNull()
  })
})
