import { describe, it, expect } from 'vitest'
import { fingerprint } from './fingerprint.ts'

const base = { agent: '12D3KooWabc', kind: 'vuln' as const, rule: 'GHSA-xxxx', subject: 'lodash@4.17.20', path: 'app/package-lock.json' }

describe('fingerprint', () => {
  it('is deterministic and 32 hex chars', () => {
    expect(fingerprint(base)).toBe(fingerprint({ ...base }))
    expect(fingerprint(base)).toMatch(/^[0-9a-f]{32}$/)
  })
  it('changes with every field', () => {
    const seen = new Set([fingerprint(base)])
    for (const k of Object.keys(base) as (keyof typeof base)[]) {
      seen.add(fingerprint({ ...base, [k]: k === 'kind' ? 'secret' : base[k] + 'x' }))
    }
    expect(seen.size).toBe(6)
  })
  it('cannot be confused by moving characters between fields', () => {
    expect(fingerprint({ ...base, rule: 'ab', subject: 'c' })).not.toBe(fingerprint({ ...base, rule: 'a', subject: 'bc' }))
  })
})
