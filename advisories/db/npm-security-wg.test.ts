import { describe, it, expect } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { affects } from '../match.ts'
import { severityOf } from '../severity.ts'
import { isNpmSecurityWgIndex, npmSecurityWgToOsv } from './npm-security-wg.ts'
import { decodeRecords } from './record-formats.ts'

const NPM_WG = join(import.meta.dirname, '../../../shared/data/osv/npm-nodejs-security-wg/nodejs-security-wg-npm.jsonl')

const advisory = (extra: object = {}) => ({
  id: 131,
  module_name: 'Demo-Pkg',
  title: 'Regular Expression Denial of Service',
  overview: 'A crafted string makes the parser backtrack.',
  recommendation: 'Update to 1.6.5 or 2.1.7 or later.',
  cves: ['CVE-2016-10540', 'not-a-cve'],
  cvss_vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
  cvss_score: 7.5,
  created_at: '2016-05-01',
  updated_at: '2018-03-01',
  publish_date: '2016-06-20',
  vulnerable_versions: '<1.6.5 || >=2.0.0 <2.1.7',
  patched_versions: '>=1.6.5 <2.0.0 || >=2.1.7',
  references: ['https://example.invalid/advisory', 42],
  ...extra,
})
const pkg = (version: string) => ({ ecosystem: 'npm', name: 'Demo-Pkg', version, source: 'package-lock.json' })

describe('npm security WG advisories as OSV', () => {
  it('converts the fields and the affected versions', () => {
    const r = npmSecurityWgToOsv(advisory())
    expect(r).toMatchObject({
      id: 'NSWG-ECO-131',
      modified: '2018-03-01T00:00:00Z',
      published: '2016-06-20T00:00:00Z',
      aliases: ['CVE-2016-10540'],
      summary: 'Regular Expression Denial of Service',
      details: 'A crafted string makes the parser backtrack.\n\n## Recommendation\n\nUpdate to 1.6.5 or 2.1.7 or later.',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
      references: [{ type: 'WEB', url: 'https://example.invalid/advisory' }],
    })
    expect(r.affected).toEqual([{
      package: { ecosystem: 'npm', name: 'Demo-Pkg' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.6.5' }] }, { type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.1.7' }] }],
      versions: [],
      database_specific: { vulnerable_versions: '<1.6.5 || >=2.0.0 <2.1.7', patched_versions: '>=1.6.5 <2.0.0 || >=2.1.7' },
    }])
    expect(['1.6.4', '1.6.5', '1.9.0', '2.0.0', '2.1.6', '2.1.7'].map((v) => affects(r, pkg(v)) !== undefined)).toEqual([true, false, false, true, true, false])
    expect(severityOf(r)).toMatchObject({ level: 'high', score: 7.5, source: 'cvss3' })
  })

  it('dates modified by updated_at, else created_at, else publish_date', () => {
    expect(npmSecurityWgToOsv(advisory({ updated_at: null })).modified).toBe('2016-05-01T00:00:00Z')
    expect(npmSecurityWgToOsv(advisory({ updated_at: null, created_at: undefined })).modified).toBe('2016-06-20T00:00:00Z')
  })

  it('refuses an advisory it cannot represent, naming the id', () => {
    for (const bad of [
      advisory({ vulnerable_versions: 'latest' }),
      advisory({ vulnerable_versions: null }),
      advisory({ updated_at: 'yesterday', created_at: null, publish_date: null }),
      advisory({ id: 'x' }),
    ]) {
      expect(() => npmSecurityWgToOsv(bad)).toThrow(expect.objectContaining({ code: 'bad-record' }))
    }
    expect(() => npmSecurityWgToOsv(advisory({ vulnerable_versions: 'latest' }))).toThrow(/NSWG-ECO-131: vulnerable_versions 'latest'/)
  })

  it('tells OSV records, WG advisories and the WG index apart', () => {
    const osv = { id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-01-01T00:00:00Z' }
    const index = { _source_path: 'vuln/npm/index.json', 131: advisory(), 132: advisory({ id: 132 }) }
    expect(isNpmSecurityWgIndex(index)).toBe(true)
    expect(isNpmSecurityWgIndex({ 1: osv })).toBe(false)
    const ids = (json: unknown) => [...decodeRecords(json, 'x')].map((d) => ('record' in d ? d.record.id : `error at ${d.where}`))
    expect(ids(osv)).toEqual(['GHSA-aaaa-bbbb-cccc'])
    expect(ids(advisory())).toEqual(['NSWG-ECO-131'])
    expect(ids(index)).toEqual(['NSWG-ECO-131', 'NSWG-ECO-132'])
    expect(ids([osv, { module_name: 'x', vulnerable_versions: 'nope', id: 1 }, 'text'])).toEqual(['GHSA-aaaa-bbbb-cccc', 'error at x[1]', 'error at x[2]'])
  })

  it.skipIf(!existsSync(NPM_WG))('converts all 467 advisories of the WG data (../shared/data/osv/npm-nodejs-security-wg)', () => {
    const advisories = readFileSync(NPM_WG, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)).filter((j) => typeof j.module_name === 'string')
    expect(advisories.length).toBe(467)
    const records = advisories.map((a) => npmSecurityWgToOsv(a))
    expect(new Set(records.map((r) => r.id)).size).toBe(467)
    expect(records.every((r) => r.affected[0]!.ranges.length > 0)).toBe(true)
    // Open-ended (no fixed or last_affected event in some range) exactly where a range alternative has no upper bound.
    const openEnded = (r: (typeof records)[number]) => r.affected[0]!.ranges.some((x) => x.events.length === 1)
    const noUpperBound = (range: string) => range.split('||').some((alt) => !/<|~|\^|\bx\b|\.x|\s-\s|^\s*=?v?\d+(\.\d+){0,2}(-\S+)?\s*$/.test(alt))
    expect(records.map(openEnded)).toEqual(advisories.map((a) => noUpperBound(a.vulnerable_versions)))
    expect(records.filter(openEnded).length).toBeGreaterThan(0)
  })
})
