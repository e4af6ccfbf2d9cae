// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest'
import './zt-findings-page.ts'
import type { ZtFindingsPage } from './zt-findings-page.ts'
import type { ZtFindingsTable } from './zt-findings-table.ts'
import { fakeApi, fakeLive, mount, row, settle, shadow } from '../web.test-data.ts'

afterEach(() => { document.body.replaceChildren(); history.replaceState(null, '', '/') })

async function page(over: Partial<ZtFindingsPage> = {}, rows = Array.from({ length: 250 }, (_, i) => row(i))) {
  const api = fakeApi({ rows })
  const el = document.createElement('zt-findings-page') as ZtFindingsPage
  Object.assign(el, { api, tenant: 'acme', filters: { severity: 'high' }, ...over })
  await mount(el)
  return { el, api }
}

describe('zt-findings-page', () => {
  it('asks the server for the first page with the URL\'s filters and facet counts, then the next by cursor', async () => {
    const { el, api } = await page()
    expect(api.calls[0]).toEqual(['findings', 'acme', { severity: 'high' }, { limit: 100, facets: true }])
    const table = shadow(el).querySelector('zt-findings-table') as ZtFindingsTable
    expect(table.rows).toHaveLength(100)
    table.dispatchEvent(new CustomEvent('zt-load-more', { bubbles: true, composed: true }))
    await settle(el)
    expect(api.calls.find((c) => c[0] === 'findings' && (c[3] as { cursor?: string }).cursor === '100')).toBeDefined()
    expect(table.rows.length).toBeGreaterThan(100)
  })

  it('puts a changed filter in the URL', async () => {
    const { el } = await page()
    const kind = [...shadow(el).querySelectorAll('select')].find((s) => s.getAttribute('aria-label') === 'Kind')!
    kind.value = 'secret'
    kind.dispatchEvent(new Event('change'))
    expect(location.pathname + location.search).toBe('/t/acme/findings?severity=high&kind=secret')
  })

  it('opens the finding named in the URL and sends triage through the api', async () => {
    const { el, api } = await page({ finding: row(3).id, role: 'analyst' })
    const detail = shadow(el).querySelector('zt-finding-detail')!
    expect(api.calls).toContainEqual(['finding', 'acme', row(3).id])
    detail.dispatchEvent(new CustomEvent('zt-triage', { detail: { status: 'acknowledged' }, bubbles: true, composed: true }))
    await settle(el)
    expect(api.calls).toContainEqual(['triage', 'acme', row(3).id, { status: 'acknowledged' }])
    expect(el.hasAttribute('detail-open')).toBe(true)
  })

  it('refetches what is loaded when a live doc moves', async () => {
    const live = fakeLive()
    const { el, api } = await page({ live })
    const before = api.calls.length
    live.fire({ doc: 'triage' })
    await new Promise((r) => setTimeout(r, 200))
    await settle(el)
    expect(api.calls.slice(before)).toEqual([['findings', 'acme', { severity: 'high' }, { limit: 100, facets: true }]])
  })
})
