import { describe, it, expect } from 'vitest'
import { fingerprint } from '../../crdt/index.ts'
import { vulnFingerprint } from './finding-id.ts'

describe('vulnFingerprint', () => {
  it('equals the crdt fingerprint of a vuln finding, for short, non-ASCII and long fields', () => {
    const cases: [string, string, string, string][] = [
      ['', 'GHSA-35jh-r3h4-6jhm', 'lodash@4.17.20', 'web/package-lock.json'],
      ['agent-1', 'PYSEC-2023-1', 'jinja2@2.0', 'ünï/cødé/requirements.txt'],
      ['a', 'r', 'x@1', 'deep/'.repeat(5000) + 'poetry.lock'],
      ['', '', '', ''],
    ]
    for (const [agent, rule, subject, path] of cases) {
      expect(vulnFingerprint(agent, rule, subject, path)).toBe(fingerprint({ agent, kind: 'vuln', rule, subject, path }))
    }
  })
})
