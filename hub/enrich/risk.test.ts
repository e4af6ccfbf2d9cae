import { describe, it, expect } from 'vitest'
import { SEVERITIES } from '../../crdt/index.ts'
import { exploitability, riskScore, type RiskInput } from './risk.ts'

describe('risk score (docs/RISK.md)', () => {
  it('gives the documented examples', () => {
    // The table in docs/RISK.md, line by line.
    expect(riskScore({ kind: 'vuln', severity: 'critical', cvss: 10, epss: 0.94358, kev: true, ransomware: true })).toBe(100)
    expect(riskScore({ kind: 'vuln', severity: 'high', cvss: 7.2, epss: 0.01059, kev: true })).toBe(90.8)
    expect(riskScore({ kind: 'vuln', severity: 'critical', cvss: 9.8, epss: 0.9 })).toBe(72.9)
    expect(riskScore({ kind: 'vuln', severity: 'critical', cvss: 9.8 })).toBe(49.5)
    expect(riskScore({ kind: 'vuln', severity: 'medium', cvss: 5.3, epss: 0.00046 })).toBe(21)
    expect(riskScore({ kind: 'vuln', severity: 'high' })).toBe(40.4)
    expect(riskScore({ kind: 'secret', severity: 'high' })).toBe(60)
    expect(riskScore({ kind: 'config', severity: 'medium' })).toBe(27.8)
  })

  it('maps EPSS on the stated log scale', () => {
    expect(exploitability(0)).toBe(0)
    expect(exploitability(1)).toBe(1)
    expect(exploitability(0.01)).toBeCloseTo(0.347, 3)
    expect(exploitability(0.1)).toBeCloseTo(0.668, 3)
  })

  it('never falls when CVSS, EPSS or KEV rise, and stays in 0–100', () => {
    const cvss = Array.from({ length: 101 }, (_, i) => i / 10)
    const epss = [0, 0.00001, 0.0001, 0.0004, 0.001, 0.005, 0.01, 0.05, 0.1, 0.3, 0.6, 0.9, 1]
    for (const kev of [false, true]) {
      for (const p of epss) {
        let prev = -1
        for (const c of cvss) {
          const r = riskScore({ kind: 'vuln', severity: 'unknown', cvss: c, epss: p, kev })
          expect(r).toBeGreaterThanOrEqual(prev)
          expect(r).toBeGreaterThanOrEqual(0)
          expect(r).toBeLessThanOrEqual(100)
          prev = r
          expect(riskScore({ kind: 'vuln', severity: 'unknown', cvss: c, epss: p, kev: true })).toBeGreaterThanOrEqual(r)
          expect(riskScore({ kind: 'vuln', severity: 'unknown', cvss: c, epss: p, kev, ransomware: kev })).toBeGreaterThanOrEqual(r)
        }
      }
      for (const c of cvss) {
        let prev = -1
        for (const p of epss) {
          const r = riskScore({ kind: 'vuln', severity: 'unknown', cvss: c, epss: p, kev })
          expect(r).toBeGreaterThanOrEqual(prev)
          prev = r
        }
      }
    }
    // Severity levels without a score keep their order too, for every kind.
    for (const kind of ['vuln', 'secret', 'config'] as const) {
      const levels = ['low', 'unknown', 'medium', 'high', 'critical'] as const
      const scores = levels.map((severity) => riskScore({ kind, severity }))
      expect([...scores].sort((a, b) => a - b)).toEqual(scores)
      expect(new Set(scores).size).toBe(levels.length)
    }
    expect(SEVERITIES.length).toBe(5)
  })

  it('puts every KEV vulnerability above every other finding', () => {
    const lowestKev = riskScore({ kind: 'vuln', severity: 'low', cvss: 0, epss: 0, kev: true })
    const highestOther = Math.max(
      riskScore({ kind: 'vuln', severity: 'critical', cvss: 10, epss: 1 }),
      riskScore({ kind: 'secret', severity: 'critical', cvss: 10 } as RiskInput),
      riskScore({ kind: 'config', severity: 'critical' }),
    )
    expect(lowestKev).toBeGreaterThan(highestOther)
    // KEV is about vulnerabilities: a secret never gets the tier.
    expect(riskScore({ kind: 'secret', severity: 'low', kev: true })).toBeLessThan(lowestKev)
  })

  it('a critical without exploitation data still outranks a low with EPSS 1', () => {
    expect(riskScore({ kind: 'vuln', severity: 'critical', cvss: 9, epss: 0 })).toBeGreaterThan(riskScore({ kind: 'vuln', severity: 'low', cvss: 3.9, epss: 1 }))
  })

  it('a missing EPSS counts as 1 %, between a low and a high measured one', () => {
    const none = riskScore({ kind: 'vuln', severity: 'high', cvss: 8 })
    expect(none).toBe(riskScore({ kind: 'vuln', severity: 'high', cvss: 8, epss: 0.01 }))
    expect(none).toBeGreaterThan(riskScore({ kind: 'vuln', severity: 'high', cvss: 8, epss: 0.0005 }))
    expect(none).toBeLessThan(riskScore({ kind: 'vuln', severity: 'high', cvss: 8, epss: 0.2 }))
  })
})
