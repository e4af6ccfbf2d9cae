// @vitest-environment happy-dom
// The small elements: the live banner, the tenant switcher, the trend chart, the reports page.
import { describe, it, expect, afterEach } from 'vitest'
import './zt-live-banner.ts'
import './zt-tenant-switcher.ts'
import './zt-trend-chart.ts'
import './zt-reports-page.ts'
import type { ZtLiveBanner } from './zt-live-banner.ts'
import type { ZtTenantSwitcher } from './zt-tenant-switcher.ts'
import type { ZtTrendChart } from './zt-trend-chart.ts'
import type { ZtReportsPage } from './zt-reports-page.ts'
import { fakeApi, mount, settle, shadow } from '../web.test-data.ts'

afterEach(() => { document.body.replaceChildren() })

describe('zt-live-banner', () => {
  it('says nothing while live and tells when the socket dropped or polling stands in', async () => {
    const el = await mount(document.createElement('zt-live-banner') as ZtLiveBanner)
    for (const [state, text] of [['live', ''], ['connecting', ''], ['reconnecting', 'reconnecting'], ['polling', 'refreshes every few seconds']] as const) {
      el.state = state
      await el.updateComplete
      const shown = shadow(el).querySelector('[role=status]')?.textContent ?? ''
      if (text) expect(shown).toContain(text)
      else expect(shown).toBe('')
    }
  })
})

describe('zt-tenant-switcher', () => {
  it('names the one tenant, or offers a choice of several', async () => {
    const el = document.createElement('zt-tenant-switcher') as ZtTenantSwitcher
    el.tenants = [{ tenant: 'acme', role: 'admin', open: {} }]
    await mount(el)
    expect(shadow(el).querySelector('select')).toBeNull()
    expect(shadow(el).textContent).toContain('acme')
    el.tenants = [...el.tenants, { tenant: 'globex', role: 'viewer', open: {} }]
    el.current = 'acme'
    await el.updateComplete
    const got = new Promise<string>((r) => el.addEventListener('zt-tenant-change', (e) => r((e as CustomEvent<{ tenant: string }>).detail.tenant)))
    const select = shadow(el).querySelector('select')!
    select.value = 'globex'
    select.dispatchEvent(new Event('change'))
    expect(await got).toBe('globex')
  })
})

describe('zt-trend-chart', () => {
  it('stacks a polygon per severity present, with the numbers in a table for screen readers', async () => {
    const el = document.createElement('zt-trend-chart') as ZtTrendChart
    el.days = [{ day: '2026-01-01', open: { critical: 1, low: 4 } }, { day: '2026-01-02', open: { critical: 2, low: 3 } }]
    await mount(el)
    expect([...shadow(el).querySelectorAll('polygon')].map((p) => p.getAttribute('class'))).toEqual(['low', 'critical'])
    expect(shadow(el).querySelector('svg')!.getAttribute('aria-label')).toContain('at most 5')
    expect(shadow(el).querySelectorAll('table tr')).toHaveLength(3)
    el.days = []
    await el.updateComplete
    expect(shadow(el).textContent).toContain('No history yet')
  })
})

describe('zt-reports-page', () => {
  it('downloads each format with the findings filters (not the sort)', async () => {
    const api = fakeApi()
    const el = document.createElement('zt-reports-page') as ZtReportsPage
    Object.assign(el, { api, tenant: 'acme', filters: { severity: 'high', sort: 'first' } })
    await mount(el)
    expect([...shadow(el).querySelectorAll('button')].map((b) => b.getAttribute('data-format'))).toEqual(['sarif', 'csv', 'json', 'html', 'cyclonedx'])
    shadow(el).querySelector<HTMLButtonElement>('[data-format=sarif]')!.click()
    await settle(el)
    expect(api.calls).toEqual([['report', 'acme', 'sarif', { severity: 'high', sort: 'first' }]])
    expect(shadow(el).textContent).toContain('severity=high')
  })
})
