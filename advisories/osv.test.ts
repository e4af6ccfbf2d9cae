import { describe, expect, it } from 'vitest'
import { parseOsvRecord } from './osv.ts'

const base = { id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-01-01T00:00:00Z' }
const ecosystemRange = (events: object[]) => ({ type: 'ECOSYSTEM', events })

function refused(json: unknown): string {
  try {
    parseOsvRecord(json)
  } catch (err) {
    expect(err).toMatchObject({ name: 'AdvisoryError', code: 'bad-record' })
    return (err as Error).message
  }
  throw new Error('accepted')
}

describe('parseOsvRecord', () => {
  it('keeps what matching and display need and ignores unknown fields', () => {
    const r = parseOsvRecord({
      ...base, schema_version: '1.6.0', published: '2023-12-01T10:00:00.123Z', aliases: ['CVE-2024-1'], related: ['GHSA-zzzz-zzzz-zzzz'],
      summary: 'Prototype pollution', details: 'Long text', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{
        package: { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }], database_specific: { x: 1 } }],
        versions: ['4.17.20'], ecosystem_specific: { affected_functions: ['zipObjectDeep'] }, database_specific: { source: 'x' },
      }],
      references: [{ type: 'ADVISORY', url: 'https://example.invalid/a' }, { url: 'https://example.invalid/b' }],
      database_specific: { severity: 'HIGH' }, credits: [{ name: 'someone' }], _source_path: 'x.json', future_field: { anything: true },
    })
    expect(r).toEqual({
      ...base, schema_version: '1.6.0', published: '2023-12-01T10:00:00.123Z', aliases: ['CVE-2024-1'], related: ['GHSA-zzzz-zzzz-zzzz'],
      summary: 'Prototype pollution', details: 'Long text', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{
        package: { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
        versions: ['4.17.20'], ecosystem_specific: { affected_functions: ['zipObjectDeep'] }, database_specific: { source: 'x' },
      }],
      references: [{ type: 'ADVISORY', url: 'https://example.invalid/a' }, { type: 'WEB', url: 'https://example.invalid/b' }],
      database_specific: { severity: 'HIGH' },
    })
  })

  it('fills the lists a record may leave out, and drops empty text', () => {
    expect(parseOsvRecord({ ...base, summary: '', details: null })).toEqual({ ...base, aliases: [], severity: [], affected: [], references: [] })
  })

  it('accepts a GIT-only entry without a package', () => {
    const r = parseOsvRecord({ ...base, affected: [{ ranges: [{ type: 'GIT', repo: 'https://example.invalid/r', events: [{ introduced: '0' }, { fixed: 'abc' }] }], versions: ['v1.0'] }] })
    expect(r.affected[0]!.package).toBeUndefined()
  })

  it('refuses malformed records, naming the field', () => {
    expect(refused('not an object')).toMatch(/JSON object/)
    expect(refused({ modified: base.modified })).toMatch(/record: id/)
    expect(refused({ id: 'has space', modified: base.modified })).toMatch(/id must be visible ASCII/)
    expect(refused({ id: 'X-1' })).toMatch(/X-1: modified/)
    expect(refused({ ...base, modified: 'yesterday' })).toMatch(/modified must be an RFC 3339 timestamp/)
    expect(refused({ ...base, aliases: 'CVE-1' })).toMatch(/aliases must be a list/)
    expect(refused({ ...base, aliases: [7] })).toMatch(/aliases\[0\] must be a string/)
    expect(refused({ ...base, affected: [{ package: { ecosystem: 'npm' }, ranges: [] }] })).toMatch(/affected\[0\]\.package\.name/)
    expect(refused({ ...base, affected: [{ ranges: [ecosystemRange([{ introduced: '0' }])] }] })).toMatch(/affected\[0\]\.package is required/)
    expect(refused({ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'WHAT', events: [] }] }] })).toMatch(/affected\[0\]\.ranges\[0\]\.type/)
    expect(refused({ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] }] })).toMatch(/ranges\[0\]\.repo is required/)
    expect(refused({ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [ecosystemRange([])] }] })).toMatch(/events must not be empty/)
    expect(refused({ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [ecosystemRange([{ fixed: '1.0' }])] }] })).toMatch(/needs an introduced event/)
    expect(refused({ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [ecosystemRange([{ introduced: '0', fixed: '1.0' }])] }] })).toMatch(/events\[0\] must hold exactly one/)
    expect(refused({ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [ecosystemRange([{ introduced: 0 }])] }] })).toMatch(/events\[0\]\.introduced must be a string/)
    expect(refused({ ...base, severity: [{ type: 'CVSS_V3' }] })).toMatch(/severity\[0\]\.score/)
    expect(refused({ ...base, references: [{ type: 'WEB' }] })).toMatch(/references\[0\]\.url/)
    expect(refused({ ...base, summary: 42 })).toMatch(/summary must be a string/)
  })

  it('bounds sizes', () => {
    expect(refused({ ...base, summary: 'x'.repeat(5000) })).toMatch(/summary is longer than/)
    expect(refused({ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, versions: Array.from({ length: 200_001 }, () => '1') }] })).toMatch(/versions has more than/)
    let deep: unknown = 'leaf'
    for (let i = 0; i < 40; i++) deep = { deep }
    expect(refused({ ...base, database_specific: deep })).toMatch(/database_specific is nested deeper/)
  })
})
