import { describe, expect, it } from 'vitest'
import type { Package } from '../protocol/index.ts'
import { affects } from './match.ts'
import { parseOsvRecord } from './osv.ts'

const record = (over: Record<string, unknown>) => parseOsvRecord({ id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-01-01T00:00:00Z', ...over })
const pkg = (ecosystem: string, name: string, version: string, extra: Partial<Package> = {}): Package => ({ ecosystem, name, version, source: 'lockfile', ...extra })
const entry = (ecosystem: string, name: string, events: object[], type = 'ECOSYSTEM', versions: string[] = []) =>
  ({ package: { ecosystem, name }, ranges: events.length ? [{ type, events, ...(type === 'GIT' ? { repo: 'https://example.invalid/r' } : {}) }] : [], versions })

describe('affects (OSV schema evaluation)', () => {
  const django = record({ affected: [entry('PyPI', 'Django', [{ introduced: '0' }, { fixed: '2.2.24' }, { introduced: '3.0' }, { fixed: '3.1.12' }])] })

  it('evaluates introduced/fixed intervals and reports the fix ending the interval hit', () => {
    expect(affects(django, pkg('PyPI', 'django', '2.2.23'))).toEqual({ fixed: ['2.2.24'], lastAffected: [], listed: false, inRange: true })
    expect(affects(django, pkg('PyPI', 'django', '2.2.24'))).toBeUndefined()
    expect(affects(django, pkg('PyPI', 'DJANGO', '3.1.0'))?.fixed).toEqual(['3.1.12'])
    expect(affects(django, pkg('PyPI', 'django', '3.1.12'))).toBeUndefined()
    expect(affects(django, pkg('PyPI', 'django', '3.0rc1'))).toBeUndefined()
  })

  it('sorts events by version before walking them, "0" first', () => {
    const shuffled = record({ affected: [entry('npm', 'x', [{ fixed: '3.0.0' }, { introduced: '2.0.0' }, { fixed: '1.5.0' }, { introduced: '0' }], 'SEMVER')] })
    expect(affects(shuffled, pkg('npm', 'x', '1.4.9'))?.fixed).toEqual(['1.5.0'])
    expect(affects(shuffled, pkg('npm', 'x', '1.9.0'))).toBeUndefined()
    expect(affects(shuffled, pkg('npm', 'x', '2.5.0'))?.fixed).toEqual(['3.0.0'])
  })

  it('counts last_affected in, and limit out', () => {
    const last = record({ affected: [entry('npm', 'x', [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }], 'SEMVER')] })
    expect(affects(last, pkg('npm', 'x', '1.4.0'))).toEqual({ fixed: [], lastAffected: ['1.4.0'], listed: false, inRange: true })
    expect(affects(last, pkg('npm', 'x', '1.4.1'))).toBeUndefined()
    expect(affects(last, pkg('npm', 'x', '0.9.0'))).toBeUndefined()
    const limited = record({ affected: [entry('npm', 'x', [{ introduced: '0' }, { limit: '2.0.0' }], 'SEMVER')] })
    expect(affects(limited, pkg('npm', 'x', '1.9.9'))).toBeDefined()
    expect(affects(limited, pkg('npm', 'x', '2.0.0'))).toBeUndefined()
    const starred = record({ affected: [entry('npm', 'x', [{ introduced: '1.0.0' }, { limit: '*' }], 'SEMVER')] })
    expect(affects(starred, pkg('npm', 'x', '99.0.0'))).toBeDefined()
  })

  it('matches versions[] exactly, and gives the next fix for a version only listed', () => {
    const listed = record({ affected: [entry('PyPI', 'pkg', [{ introduced: '2.0' }, { fixed: '2.1' }], 'ECOSYSTEM', ['1.0', '2.0'])] })
    expect(affects(listed, pkg('PyPI', 'pkg', '1.0'))).toEqual({ fixed: ['2.1'], lastAffected: [], listed: true, inRange: false })
    expect(affects(listed, pkg('PyPI', 'pkg', '2.0'))).toEqual({ fixed: ['2.1'], lastAffected: [], listed: true, inRange: true })
    expect(affects(listed, pkg('PyPI', 'pkg', '1.0.0'))).toBeUndefined()
    const many = record({ affected: [entry('Go', 'example.com/m', [], 'SEMVER', Array.from({ length: 40 }, (_, i) => `v1.0.${i}`))] })
    expect(affects(many, pkg('Go', 'example.com/m', 'v1.0.39'))?.listed).toBe(true)
    expect(affects(many, pkg('Go', 'example.com/m', 'v1.0.40'))).toBeUndefined()
  })

  it('ignores GIT ranges for versions and never matches a withdrawn record', () => {
    const git = record({ affected: [entry('PyPI', 'pkg', [{ introduced: '0' }, { fixed: 'abc123' }], 'GIT')] })
    expect(affects(git, pkg('PyPI', 'pkg', '1.0'))).toBeUndefined()
    const withdrawn = record({ withdrawn: '2024-02-01T00:00:00Z', affected: [entry('PyPI', 'django', [{ introduced: '0' }])] })
    expect(affects(withdrawn, pkg('PyPI', 'django', '2.0'))).toBeUndefined()
  })

  it('orders SEMVER ranges by SemVer in any ecosystem, ECOSYSTEM ranges only where a comparator exists', () => {
    const semverRange = record({ affected: [entry('Hackage', 'aeson', [{ introduced: '0' }, { fixed: '2.0.1' }], 'SEMVER')] })
    expect(affects(semverRange, pkg('Hackage', 'aeson', '2.0.0'))?.fixed).toEqual(['2.0.1'])
    const ecosystemRange = record({ affected: [entry('Hackage', 'aeson', [{ introduced: '0' }, { fixed: '2.0.1' }])] })
    expect(affects(ecosystemRange, pkg('Hackage', 'aeson', '2.0.0'))).toBeUndefined()
  })

  it('keeps strings that are not versions out of ranges', () => {
    const all = record({ affected: [entry('npm', 'left-pad', [{ introduced: '0' }], 'SEMVER')] })
    expect(affects(all, pkg('npm', 'left-pad', '1.3.0'))).toBeDefined()
    expect(affects(all, pkg('npm', 'left-pad', 'file:../left-pad'))).toBeUndefined()
    expect(affects(all, pkg('npm', 'left-pad', 'github:stevemao/left-pad#abc'))).toBeUndefined()
  })

  it('matches OS packages on their source package and version', () => {
    const openssl = record({ affected: [entry('Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }])] })
    const libssl = pkg('Debian:12', 'libssl3', '3.0.11-1~deb12u1+b1', { sourceName: 'openssl', sourceVersion: '3.0.11-1~deb12u1' })
    expect(affects(openssl, libssl)?.fixed).toEqual(['3.0.11-1~deb12u2'])
    expect(affects(openssl, { ...libssl, sourceVersion: '3.0.11-1~deb12u2' })).toBeUndefined()
    expect(affects(openssl, pkg('Debian:12', 'libssl3', '3.0.11-1~deb12u1'))).toBeUndefined()
    expect(affects(openssl, { ...libssl, ecosystem: 'Debian:11' })).toBeUndefined()
  })

  it('normalises names per ecosystem', () => {
    const zope = record({ affected: [entry('PyPI', 'zope.interface', [{ introduced: '0' }, { fixed: '5.0' }])] })
    expect(affects(zope, pkg('PyPI', 'Zope_Interface', '4.7'))).toBeDefined()
    const npmCase = record({ affected: [entry('npm', 'JSONStream', [{ introduced: '0' }, { fixed: '2.0.0' }], 'SEMVER')] })
    expect(affects(npmCase, pkg('npm', 'jsonstream', '1.0.0'))).toBeUndefined()
  })

  it('collects fixes across entries, ascending and without duplicates', () => {
    const two = record({
      affected: [
        entry('Maven', 'org.example:lib', [{ introduced: '2.0' }, { fixed: '2.5' }]),
        entry('Maven', 'org.example:lib', [{ introduced: '0' }, { fixed: '2.10' }]),
        entry('Maven', 'org.example:lib', [{ introduced: '1.0' }, { fixed: '2.5' }]),
      ],
    })
    expect(affects(two, pkg('Maven', 'org.example:lib', '2.1'))?.fixed).toEqual(['2.5', '2.10'])
  })
})
