// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest'
import './zt-overview.ts'
import type { ZtOverview } from './zt-overview.ts'
import { fakeApi, fakeLive, mount, shadow } from '../web.test-data.ts'

afterEach(() => { document.body.replaceChildren() })

describe('zt-overview', () => {
  it('shows the summary\'s counts by severity and kind, agents, trend, KEV findings and the upgrades that clear most, linking to the findings', async () => {
    const upgrades = [
      { ecosystem: 'npm', package: 'lodash', upgradeTo: '4.17.21', clears: 4, agents: 2, risk: 180, from: ['4.17.4'] },
      { ecosystem: 'npm', package: '<b>axios</b>', upgradeTo: '1.6.0', clears: 1, agents: 1, risk: 40, from: ['0.21.0'] },
    ]
    const api = fakeApi({ upgrades, trend: [{ day: '2026-01-01', open: { high: 2 } }, { day: '2026-01-02', open: { high: 3, critical: 1 } }] })
    const el = document.createElement('zt-overview') as ZtOverview
    el.api = api
    el.tenant = 'acme'
    await mount(el)
    const n = (k: string) => shadow(el).querySelector(`[data-count="${k}"] b`)!.textContent
    expect([n('severity-critical'), n('severity-high'), n('severity-medium'), n('severity-low')]).toEqual(['3', '5', '0', '1'])
    expect(shadow(el).querySelector('[data-count="open"]')!.textContent).toBe('9')
    expect([n('kind-vuln'), n('kind-secret'), n('agents-online'), n('agents-offline'), n('agents-stale'), n('agents-revoked')]).toEqual(['7', '2', '2', '1', '1', '1'])
    expect(shadow(el).querySelector<HTMLAnchorElement>('[data-count="severity-high"]')!.getAttribute('href')).toBe('/t/acme/findings?severity=high')
    expect([...shadow(el).querySelectorAll('ol a')].map((a) => a.textContent)).toEqual(['lodash', '<b>axios</b>'])
    expect(shadow(el).querySelector('[data-upgrade="lodash"]')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('lodash (npm): upgrade to 4.17.21, clears 4 findings on 2 agents')
    const kev = shadow(el).querySelector('[data-kev]')!
    expect(kev.textContent!.replace(/\s+/g, ' ')).toContain('2 open findings are known exploited')
    expect(kev.querySelector('a')!.getAttribute('href')).toBe('/t/acme/findings?kev=true')
    expect(api.calls.map((c) => c[0])).toEqual(['summary', 'trends', 'upgrades'])
    const chart = shadow(el).querySelector('zt-trend-chart')!
    expect(chart.shadowRoot!.querySelectorAll('polygon')).toHaveLength(2)
  })

  it('refetches (debounced) when the live docs move', async () => {
    const api = fakeApi()
    const live = fakeLive()
    const el = document.createElement('zt-overview') as ZtOverview
    el.api = api
    el.tenant = 'acme'
    el.live = live
    await mount(el)
    live.fire({ doc: 'findings', agent: 'a' })
    live.fire({ doc: 'triage' })
    await new Promise((r) => setTimeout(r, 400))
    expect(api.calls.filter((c) => c[0] === 'summary')).toHaveLength(2)
  })
})
