import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { pubspecLock } from './pubspec-lock.ts'

const parse = (text: string) => pubspecLock.parse(text, { path: 'app/pubspec.lock', readRelative: () => undefined })

describe('pubspec-lock', () => {
  it('reads direct, dev and transitive packages and the resolved git commit', () => {
    const pkgs = parse(`packages:
  http:
    dependency: "direct main"
    description:
      name: http
      url: "https://pub.dev"
    source: hosted
    version: "1.10.0"
  lints:
    dependency: "direct dev"
    description: {name: lints, url: "https://pub.dev"}
    source: hosted
    version: "3.0.0"
  forked:
    dependency: transitive
    description:
      path: "."
      ref: main
      resolved-ref: "406b9b038b2c1d779f1e7bf609c8c248be247372"
      url: "https://github.com/o/forked.git"
    source: git
    version: "0.1.2"
`)
    expect(pkgs.map((p) => [p.name, p.version, p.direct, p.groups, p.commit])).toEqual([
      ['http', '1.10.0', true, undefined, undefined],
      ['lints', '3.0.0', true, ['dev'], undefined],
      ['forked', '0.1.2', false, undefined, '406b9b038b2c1d779f1e7bf609c8c248be247372'],
    ])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'Pub', name: 'http', version: '1.10.0' })
  })

  it('reads empty files and empty package maps as no packages', () => {
    expect(parse('')).toEqual([])
    expect(parse('packages: {}\n')).toEqual([])
  })

  it('names broken files', () => {
    const code = (text: string) => { try { parse(text) } catch (err) { return (err as LockfileError).code } }
    expect(code('packages:\n  a:\n    version: "1"\n   b: x\n')).toBe('bad-syntax')
    expect(code('packages:\n  - a\n')).toBe('bad-structure')
    expect(code('packages:\n  a:\n    source: hosted\n')).toBe('bad-structure')
  })
})
