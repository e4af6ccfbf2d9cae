import { describe, it, expect } from 'vitest'
import { fingerprint } from '../../crdt/index.ts'
import { vulnFingerprint } from './finding-id.ts'

describe('vulnFingerprint', () => {
  it('equals the crdt fingerprint of a vuln finding, for short, non-ASCII and long fields', () => {
    const cases: [string, string, string, string, string][] = [
      ['', 'GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.20', 'web/package-lock.json'],
      ['agent-1', 'PYSEC-2023-1', 'jinja2', '2.0', 'ünï/cødé/requirements.txt'],
      ['agent-1', 'GHSA-x', '@scope/pkg', '1.0.0-ünï', 'a/package-lock.json'],
      ['a', 'r', 'x', '1', 'deep/'.repeat(5000) + 'poetry.lock'],
      ['', '', '', '', ''],
      // The agent and kind are written once and kept while the agent stays the same: each
      // change of agent (longer, shorter, non-ASCII, back again) must rewrite them.
      ['агент-ü-' + 'x'.repeat(60), 'ПРАВИЛО-1', 'n', '1', 'p'],
      ['agent-1', 'GHSA-2', 'n', '1', 'p'],
      ['agent-1', 'GHSA-2', 'n', '1', 'q'],
      ['агент-ü-' + 'x'.repeat(60), 'GHSA-2', 'n', '1', 'p'],
    ]
    for (const [agent, rule, name, version, path] of cases) {
      expect(vulnFingerprint(agent, rule, name, version, path)).toBe(fingerprint({ agent, kind: 'vuln', rule, subject: `${name}@${version}`, path }))
    }
  })
})
