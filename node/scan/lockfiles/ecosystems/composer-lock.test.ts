import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { composerLock } from './composer-lock.ts'

const parse = (text: string) => composerLock.parse(text, { path: 'composer.lock', readRelative: () => undefined })

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : 'other' }
  return undefined
}

describe('composer-lock', () => {
  it('reads packages and packages-dev, with the source (else dist) reference as commit', () => {
    const pkgs = parse(JSON.stringify({
      packages: [
        { name: 'a/one', version: '1.0.0', source: { reference: 'src-ref' }, dist: { reference: 'dist-ref' } },
        { name: 'b/two', version: 'v2.1.0', dist: { reference: 'dist-only' } },
      ],
      'packages-dev': [{ name: 'c/three', version: '3.0.0-dev' }],
    }))
    expect(pkgs.map((p) => [p.name, p.version, p.commit, p.groups])).toEqual([
      ['a/one', '1.0.0', 'src-ref', undefined],
      ['b/two', 'v2.1.0', 'dist-only', undefined],
      ['c/three', '3.0.0-dev', undefined, ['dev']],
    ])
  })

  it('names broken files', () => {
    expect(codeOf(() => parse('{"packages": ['))).toBe('bad-syntax')
    expect(codeOf(() => parse('[]'))).toBe('bad-structure')
    expect(codeOf(() => parse('{"packages": {}}'))).toBe('bad-structure')
    expect(codeOf(() => parse('{"packages": [{"name": "a/b"}]}'))).toBe('bad-structure')
  })
})
