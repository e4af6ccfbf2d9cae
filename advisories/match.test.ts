import { describe, it, expect } from 'vitest'
import type { Package } from '../protocol/index.ts'
import { affects, groupAliases } from './match.ts'
import { parseOsvRecord } from './osv.ts'

const rec = (over: Record<string, unknown>) => parseOsvRecord({ id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-01-01T00:00:00Z', ...over })
const pkg = (ecosystem: string, name: string, version: string, extra: Partial<Package> = {}): Package => ({ ecosystem, name, version, source: 'x', ...extra })
const aff = (ecosystem: string, name: string, events: object[], type = 'ECOSYSTEM', versions: string[] = []) => ({ package: { ecosystem, name }, ranges: [{ type, events, ...(type === 'GIT' ? { repo: 'https://example.com/m.git' } : {}) }], versions })

describe('matching (OSV schema)', () => {
  const r = rec({ affected: [aff('PyPI', 'Django', [{ introduced: '0' }, { fixed: '2.2.24' }, { introduced: '3.0' }, { fixed: '3.1.12' }])] })
  it('evaluates introduced/fixed intervals and reports the fix of the interval hit', () => {
    expect(affects(r, pkg('PyPI', 'django', '2.2.23'))).toEqual({ fixed: ['2.2.24'] })
    expect(affects(r, pkg('PyPI', 'django', '2.2.24'))).toBeUndefined()
    expect(affects(r, pkg('PyPI', 'DJANGO', '3.1.0'))).toEqual({ fixed: ['3.1.12'] })
    expect(affects(r, pkg('PyPI', 'django', '3.2'))).toBeUndefined()
    expect(affects(r, pkg('npm', 'django', '1.0.0'))).toBeUndefined()
  })
  it('last_affected includes its version; limit bounds the range', () => {
    const la = rec({ affected: [aff('npm', 'x', [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }], 'SEMVER')] })
    expect(affects(la, pkg('npm', 'x', '1.4.0'))).toEqual({ fixed: [] })
    expect(affects(la, pkg('npm', 'x', '1.4.1'))).toBeUndefined()
    const lim = rec({ affected: [aff('npm', 'x', [{ introduced: '0' }, { limit: '2.0.0' }], 'SEMVER')] })
    expect(affects(lim, pkg('npm', 'x', '1.9.9'))).toBeDefined()
    expect(affects(lim, pkg('npm', 'x', '2.0.0'))).toBeUndefined()
  })
  it('versions[] match exactly; withdrawn records never match', () => {
    const v = rec({ affected: [aff('Go', 'example.com/m', [{ introduced: '0' }, { fixed: 'abcdef0' }], 'GIT', ['v1.0.0'])] })
    expect(affects(v, pkg('Go', 'example.com/m', 'v1.0.0'))).toBeDefined()
    expect(affects(v, pkg('Go', 'example.com/m', 'v1.0.1'))).toBeUndefined()
    expect(affects(rec({ ...r, withdrawn: '2024-02-01T00:00:00Z', affected: r.affected }), pkg('PyPI', 'django', '2.0'))).toBeUndefined()
  })
  it('ecosystem suffixes: Debian:12 advisories for Debian 12 packages; plain Debian for any release', () => {
    const d12 = rec({ affected: [aff('Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }])] })
    expect(affects(d12, pkg('Debian:12', 'libssl3', '3.0.11-1~deb12u1', { sourceName: 'openssl' }))).toBeDefined()
    expect(affects(d12, pkg('Debian:11', 'libssl3', '3.0.11-1~deb12u1', { sourceName: 'openssl' }))).toBeUndefined()
    const any = rec({ affected: [aff('Debian', 'openssl', [{ introduced: '0' }, { fixed: '3.0.12' }])] })
    expect(affects(any, pkg('Debian:11', 'openssl', '3.0.11'))).toBeDefined()
  })
  it('one group per alias set, primary an id we hold, ecosystem ids before CVEs', () => {
    const a = rec({ id: 'PYSEC-2021-1', aliases: ['CVE-2021-1', 'GHSA-xxxx-yyyy-zzzz'] })
    const b = rec({ id: 'GHSA-xxxx-yyyy-zzzz', aliases: ['CVE-2021-1'] })
    const c = rec({ id: 'PYSEC-2022-9', aliases: [] })
    const groups = groupAliases([a, b, c])
    expect(groups).toHaveLength(2)
    expect(groups.find((g) => g.ids.includes('CVE-2021-1'))).toEqual({ primary: 'GHSA-xxxx-yyyy-zzzz', ids: ['GHSA-xxxx-yyyy-zzzz', 'PYSEC-2021-1', 'CVE-2021-1'] })
  })
  it('refuses malformed records with a named code', () => {
    expect(() => parseOsvRecord({ id: 'X' })).toThrow(expect.objectContaining({ code: 'bad-record' }))
    expect(() => parseOsvRecord({ id: 'X', modified: 'm', affected: [{ ranges: [{ type: 'WHAT', events: [] }] }] })).toThrow(expect.objectContaining({ code: 'bad-record' }))
  })
})
