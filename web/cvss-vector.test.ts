import { describe, it, expect } from 'vitest'
import { cvssBreakdown } from './cvss-vector.ts'

describe('cvssBreakdown', () => {
  it('labels every v3.1 base metric', () => {
    const b = cvssBreakdown('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:L/A:N')!
    expect(b.version).toBe('3.1')
    expect(b.metrics.map((m) => `${m.name}: ${m.label}`)).toEqual([
      'Attack vector: Network', 'Attack complexity: Low', 'Privileges required: None', 'User interaction: Required',
      'Scope: Changed', 'Confidentiality: High', 'Integrity: Low', 'Availability: None',
    ])
    expect(new Set(b.metrics.map((m) => m.group))).toEqual(new Set(['base']))
  })

  it('labels v4.0 base, threat, environmental and supplemental metrics', () => {
    const b = cvssBreakdown('CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:N/SI:L/SA:N/E:A/MSI:S/AU:Y/U:Amber')!
    expect(b.version).toBe('4.0')
    const by = Object.fromEntries(b.metrics.map((m) => [m.key, `${m.name}: ${m.label} (${m.group})`]))
    expect(by.AT).toBe('Attack requirements: Present (base)')
    expect(by.UI).toBe('User interaction: Passive (base)')
    expect(by.SI).toBe('Subsequent system integrity: Low (base)')
    expect(by.E).toBe('Exploit maturity: Attacked (threat)')
    expect(by.MSI).toBe('Modified subsequent system integrity: Safety (environmental)')
    expect(by.AU).toBe('Automatable: Yes (supplemental)')
    expect(by.U).toBe('Provider urgency: Amber (supplemental)')
  })

  it('keeps a v3 temporal metric and shows what it does not know as written', () => {
    const b = cvssBreakdown('CVSS:3.0/AV:L/AC:H/PR:H/UI:N/S:U/C:N/I:N/A:H/E:F/ZZ:Q')!
    expect(b.metrics.find((m) => m.key === 'E')).toMatchObject({ name: 'Exploit code maturity', label: 'Functional', group: 'temporal' })
    expect(b.metrics.find((m) => m.key === 'ZZ')).toMatchObject({ name: 'ZZ', label: 'Q' })
  })

  it('refuses what is not a CVSS 3/4 vector', () => {
    for (const v of ['', 'AV:N/AC:L', 'CVSS:2.0/AV:N', 'CVSS:3.1', 'CVSS:3.1/AV', 'CVSS:3.1/AV:N:X']) expect(cvssBreakdown(v)).toBeUndefined()
  })
})
