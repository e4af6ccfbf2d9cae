import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { pipfileLock } from './pipfile-lock.ts'

const ctx = { path: 'Pipfile.lock', readRelative: () => undefined }
const summary = (doc: unknown) => pipfileLock.parse(typeof doc === 'string' ? doc : JSON.stringify(doc), ctx)
  .map((p) => [p.name, p.version, p.groups ?? [], p.commit ?? ''])

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : `other: ${(err as Error).message}` }
  return undefined
}

describe('pipfile-lock', () => {
  it('reads default and develop; a package in both is production; VCS entries without version are left out', () => {
    expect(summary({
      _meta: { 'pipfile-spec': 6 },
      default: {
        itsdangerous: { hashes: [], version: '==2.1.2' },
        pluggy: { version: '==1.0.1' },
        arbitrary: { version: '===2024.1-custom' },
        markupsafe: { editable: true, git: 'https://github.com/pallets/markupsafe', ref: 'b36054111bc1e8bbadb5d0d60158feb72926f467' },
      },
      develop: {
        itsdangerous: { version: '==2.1.2' },
        pluggy: { version: '==1.0.0' },
      },
    })).toEqual([
      ['itsdangerous', '2.1.2', [], ''],
      ['pluggy', '1.0.1', [], ''],
      ['arbitrary', '2024.1-custom', [], ''],
      ['pluggy', '1.0.0', ['dev'], ''],
    ])
  })

  it('keeps the ref of a pinned VCS entry as its commit', () => {
    expect(summary({ default: { lib: { git: 'https://x.invalid/lib', ref: 'abc123', version: '==1.0' } } })).toEqual([['lib', '1.0', [], 'abc123']])
  })

  it('gives nothing for an empty file or empty sections, and skips a byte order mark', () => {
    expect(summary('')).toEqual([])
    expect(summary({ _meta: {}, default: {}, develop: {} })).toEqual([])
    expect(summary('\ufeff{"default":{"a":{"version":"==1"}}}')).toEqual([['a', '1', [], '']])
  })

  it('refuses broken JSON as bad-syntax and a wrong shape as bad-structure', () => {
    expect(codeOf(() => summary('this is not json!'))).toBe('bad-syntax')
    expect(codeOf(() => summary('{"default": {'))).toBe('bad-syntax')
    expect(codeOf(() => summary([]))).toBe('bad-structure')
    expect(codeOf(() => summary({ default: [] }))).toBe('bad-structure')
    expect(codeOf(() => summary({ default: { a: 'x' } }))).toBe('bad-structure')
    expect(codeOf(() => summary({ develop: { a: { version: 1 } } }))).toBe('bad-structure')
  })

  it('claims Pipfile.lock', () => {
    expect(pipfileLock.matches('app/Pipfile.lock')).toBe(true)
    expect(pipfileLock.matches('Pipfile')).toBe(false)
  })
})
