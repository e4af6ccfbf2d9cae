import { describe, expect, it } from 'vitest'
import { aliasGroups, groupAliases } from './alias-groups.ts'
import { parseOsvRecord } from './osv.ts'

const record = (id: string, aliases: string[], ecosystem = 'PyPI') => parseOsvRecord({
  id, aliases, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem, name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }],
})

describe('alias groups', () => {
  it('links records naming each other or sharing an alias, transitively', () => {
    const groups = aliasGroups([
      record('PYSEC-2021-1', ['CVE-2021-1']),
      record('GHSA-aaaa-bbbb-cccc', ['CVE-2021-1', 'CVE-2021-2']),
      record('OSV-2021-9', ['CVE-2021-2']),
      record('PYSEC-2022-9', []),
    ])
    expect(groups).toEqual([
      ['PYSEC-2021-1', 'GHSA-aaaa-bbbb-cccc', 'OSV-2021-9', 'CVE-2021-1', 'CVE-2021-2'],
      ['PYSEC-2022-9'],
    ])
  })
  it('picks the ecosystem\'s own database as primary, then other databases, then CVE', () => {
    expect(groupAliases([record('GHSA-xxxx-yyyy-zzzz', ['PYSEC-2021-1']), record('PYSEC-2021-1', [])])[0]!.primary).toBe('PYSEC-2021-1')
    expect(groupAliases([record('GHSA-xxxx-yyyy-zzzz', ['GO-2021-1'], 'Go'), record('GO-2021-1', ['GHSA-xxxx-yyyy-zzzz'], 'Go')])[0]!.primary).toBe('GO-2021-1')
    expect(groupAliases([record('CVE-2021-1', ['GHSA-xxxx-yyyy-zzzz'], 'npm'), record('GHSA-xxxx-yyyy-zzzz', [], 'npm')])[0]!.primary).toBe('GHSA-xxxx-yyyy-zzzz')
    expect(groupAliases([record('CVE-2021-1', ['DSA-5000-1'], 'npm'), record('OSV-2021-5', ['CVE-2021-1'], 'npm')])[0]!.primary).toBe('OSV-2021-5')
  })
  it('chooses a held record as primary, whatever the input order', () => {
    const a = record('UBUNTU-CVE-2021-1', ['CVE-2021-1'], 'Ubuntu:22.04:LTS')
    const b = record('USN-5000-1', ['CVE-2021-1'], 'Ubuntu:22.04:LTS')
    expect(groupAliases([a, b])).toEqual(groupAliases([b, a]))
    expect(groupAliases([a, b])[0]).toEqual({ primary: 'UBUNTU-CVE-2021-1', ids: ['UBUNTU-CVE-2021-1', 'USN-5000-1', 'CVE-2021-1'] })
    expect(groupAliases([record('CVE-2020-5', ['GHSA-held-nott-here'])])[0]).toEqual({ primary: 'CVE-2020-5', ids: ['CVE-2020-5', 'GHSA-held-nott-here'] })
  })
  it('counts a record given twice once', () => {
    const r = record('PYSEC-2020-148', ['CVE-2020-26137'])
    expect(groupAliases([r, r])).toEqual([{ primary: 'PYSEC-2020-148', ids: ['PYSEC-2020-148', 'CVE-2020-26137'] }])
  })
})
