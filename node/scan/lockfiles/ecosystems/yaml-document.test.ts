import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { parseYamlDocument, readBlockMappings } from './yaml-document.ts'

describe('yaml-document', () => {
  it('reads block mappings of scalars directly, with any consistent indentation', () => {
    const doc = readBlockMappings([
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

  it('leaves everything beyond that subset to the full parser', () => {
    for (const text of ['a:\n  - b\n', 'a: &x b\n', 'a: [1, 2]\n', 'a: |\n  text\n', '---\na: b\n', 'a: b\n  c\n', 'a: b\na: c\n']) {
      expect(readBlockMappings(text), text).toBeUndefined()
    }
    expect(parseYamlDocument('a: [1, 2]\n', 'x')).toEqual({ a: ['1', '2'] })
    expect(parseYamlDocument('a:\n  b: 1.10\n', 'x')).toEqual({ a: { b: '1.10' } })
  })

  it('names invalid YAML as bad-syntax', () => {
    for (const text of ['a: b\na: c\n', 'a: [1, 2\n', 'a:\n  b: c\n d: e\n']) {
      try {
        parseYamlDocument(text, 'x')
        expect.unreachable(text)
      } catch (err) {
        expect((err as LockfileError).code, text).toBe('bad-syntax')
      }
    }
  })
})

describe('yaml-document keys', () => {
  it('keeps __proto__ as an ordinary key', () => {
    const doc = readBlockMappings('packages:\n  __proto__:\n    version: "1"\n')!
    const packages = doc.packages as Record<string, unknown>
    expect(Object.keys(packages)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(packages)).toBeNull()
  })
})
