import { describe, it, expect } from 'vitest'
import { upgradeAdvice, type AdviceFinding } from './upgrade-advice.ts'

const f = (agent: string, pkg: string, version: string, fixedIn: string[], extra: Partial<AdviceFinding> = {}): AdviceFinding =>
  ({ agent, ecosystem: 'npm', package: pkg, version, fixedIn, ...extra })

describe('upgrade advice', () => {
  it('picks the smallest version clearing the most findings and counts agents', () => {
    const [a, ...rest] = upgradeAdvice([
      f('a1', 'lodash', '4.17.4', ['4.17.5'], { id: 'x1', risk: 10 }),
      f('a1', 'lodash', '4.17.4', ['4.17.12'], { id: 'x2', risk: 20 }),
      f('a2', 'lodash', '4.17.20', ['4.17.21'], { id: 'x3', risk: 30 }),
      f('a3', 'lodash', '4.17.11', ['4.17.12'], { id: 'x4', risk: 5 }),
      // Two records of a group disagree: only the higher fix clears it.
      f('a3', 'lodash', '4.17.11', ['4.17.19', '4.17.16'], { id: 'x5', risk: 1 }),
      f('a3', 'lodash', '4.17.11', [], { id: 'x6' }),
    ])
    expect(rest).toEqual([])
    expect(a).toEqual({
      ecosystem: 'npm', package: 'lodash', upgradeTo: '4.17.21', clears: 5, agents: 3, risk: 66,
      from: ['4.17.4', '4.17.11', '4.17.20'], findings: ['x1', 'x2', 'x4', 'x5', 'x3'], unfixed: 1,
      steps: [
        { version: '4.17.5', clears: 1, agents: 1, risk: 10 },
        { version: '4.17.12', clears: 3, agents: 2, risk: 35 },
        { version: '4.17.19', clears: 4, agents: 2, risk: 36 },
        { version: '4.17.21', clears: 5, agents: 3, risk: 66 },
      ],
      text: 'upgrade lodash to 4.17.21 clears 5 findings on 3 agents',
    })
  })

  it('orders versions by the ecosystem\'s comparator, not as strings', () => {
    // PEP 440: 2.0rc1 < 2.0 < 2.0.post1 < 10.0; as strings "10.0" < "2.0".
    const [py] = upgradeAdvice([
      { agent: 'a', ecosystem: 'PyPI', package: 'Django', version: '1.0', fixedIn: ['2.0'] },
      { agent: 'a', ecosystem: 'PyPI', package: 'django', version: '1.0', fixedIn: ['10.0'] },
      { agent: 'b', ecosystem: 'PyPI', package: 'django', version: '1.0', fixedIn: ['2.0.post1', '2.0rc1'] },
    ])
    expect(py).toMatchObject({ package: 'Django', upgradeTo: '10.0', clears: 3, agents: 2 })
    expect(py!.steps.map((s) => s.version)).toEqual(['2.0', '2.0.post1', '10.0'])
    // Debian (dpkg): epochs and tildes.
    const [deb] = upgradeAdvice([
      { agent: 'a', ecosystem: 'Debian:12', package: 'openssl', version: '3.0.11-1~deb12u1', fixedIn: ['3.0.11-1~deb12u2'] },
      { agent: 'a', ecosystem: 'Debian:12', package: 'openssl', version: '3.0.11-1~deb12u1', fixedIn: ['3.0.11-1'] },
    ])
    expect(deb).toMatchObject({ upgradeTo: '3.0.11-1', clears: 2 })
  })

  it('sorts by findings cleared, then by risk; leaves out packages with no known fix', () => {
    const advice = upgradeAdvice([
      f('a', 'minimist', '1.2.0', ['1.2.6'], { risk: 90 }),
      f('a', 'qs', '6.0.0', ['6.2.4'], { risk: 10 }),
      f('b', 'qs', '6.0.0', ['6.2.4'], { risk: 10 }),
      f('a', 'ms', '0.7.0', ['0.7.1'], { risk: 95 }),
      f('a', 'nofix', '1.0.0', []),
    ])
    expect(advice.map((a) => a.package)).toEqual(['qs', 'ms', 'minimist'])
    expect(advice[0]!.text).toBe('upgrade qs to 6.2.4 clears 2 findings on 2 agents')
    expect(advice[2]!.text).toBe('upgrade minimist to 1.2.6 clears 1 finding on 1 agent')
    expect(upgradeAdvice([])).toEqual([])
  })
})
