import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { nugetLock } from './nuget-lock.ts'

const parse = (doc: unknown) => nugetLock.parse(typeof doc === 'string' ? doc : JSON.stringify(doc), { path: 'packages.lock.json', readRelative: () => undefined })

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : 'other' }
  return undefined
}

describe('nuget-lock', () => {
  it('reads every framework once per package, direct when any framework says so, without project references', () => {
    const pkgs = parse({
      version: 2,
      dependencies: {
        'net6.0': {
          'Shared.Lib': { type: 'Transitive', resolved: '1.0.0' },
          'My.Project': { type: 'Project', dependencies: { 'Shared.Lib': '[1.0.0, )' } },
          'Central.Pinned': { type: 'CentralTransitive', requested: '[2.0.0, )', resolved: '2.0.0' },
        },
        'net8.0': {
          'shared.lib': { type: 'Direct', requested: '[1.0.0, )', resolved: '1.0.0' },
          'Other': { type: 'Direct', requested: '[3.0.0, )', resolved: '3.0.0' },
        },
      },
    })
    expect(pkgs.map((p) => [p.name, p.version, p.direct])).toEqual([
      ['Shared.Lib', '1.0.0', true], ['Central.Pinned', '2.0.0', false], ['Other', '3.0.0', true],
    ])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'NuGet', name: 'Shared.Lib', version: '1.0.0' })
  })

  it('names unsupported versions and broken files', () => {
    expect(codeOf(() => parse({ version: 0, dependencies: {} }))).toBe('unsupported-version')
    expect(codeOf(() => parse({ dependencies: {} }))).toBe('unsupported-version')
    expect(codeOf(() => parse('{"version": 1,'))).toBe('bad-syntax')
    expect(codeOf(() => parse({ version: 1, dependencies: { 'net6.0': [] } }))).toBe('bad-structure')
  })
})
