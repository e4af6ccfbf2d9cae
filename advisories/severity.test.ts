import { describe, it, expect } from 'vitest'
import { parseOsvRecord } from './osv.ts'
import { severityOf } from './severity.ts'

const rec = (severity: object[], extra: object = {}) => parseOsvRecord({ id: 'GHSA-1234-5678-9abc', modified: '2024-01-01T00:00:00Z', severity, ...extra })

describe('severity of a record', () => {
  it('computes CVSS v4.0 first, then v3.x, from the vectors', () => {
    expect(severityOf(rec([
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
    ]))).toMatchObject({ level: 'critical', score: 9.3, source: 'cvss4' })
    expect(severityOf(rec([{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' }]))).toMatchObject({ level: 'medium', score: 5.3, source: 'cvss3' })
  })
  it('falls back to the database rating, and says unknown when there is none', () => {
    expect(severityOf(rec([{ type: 'CVSS_V4', score: 'CVSS:4.0/broken' }], { database_specific: { severity: 'MODERATE' } }))).toEqual({ level: 'medium', source: 'database' })
    expect(severityOf(rec([{ type: 'Ubuntu', score: 'negligible' }]))).toEqual({ level: 'low', source: 'database' })
    expect(severityOf(rec([], { affected: [{ package: { ecosystem: 'Debian:12', name: 'x' }, ecosystem_specific: { severity: 'high' } }] }))).toEqual({ level: 'high', source: 'database' })
    expect(severityOf(rec([]))).toEqual({ level: 'unknown', source: 'none' })
  })
})
