// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest'
import './zt-agent-page.ts'
import { INVENTORY_PAGE, type ZtAgentPage } from './zt-agent-page.ts'
import type { HubAgent, InventoryPackage } from '../api/types.ts'
import type { ZtFindingsTable } from './zt-findings-table.ts'
import { XSS, fakeApi, fakeLive, mount, row, settle, shadow } from '../web.test-data.ts'

afterEach(() => { document.body.replaceChildren(); history.replaceState(null, '', '/') })
const ID = '12D3KooWAgent' + 'x'.repeat(40)
const OTHER = '12D3KooWOther' + 'y'.repeat(40)
const AGENTS: HubAgent[] = [
  { id: ID, name: XSS, online: true, revoked: false, lastSeen: '2026-11-20T10:00:00.000Z', lastScan: '2026-11-20T09:00:00.000Z', certificateExpiry: '2027-02-01T00:00:00.000Z', roles: ['agent'] },
  { id: OTHER, name: 'other', online: false, revoked: false },
]
const PACKAGES: InventoryPackage[] = Array.from({ length: 130 }, (_, i) => ({ ecosystem: i < 100 ? 'npm' : 'PyPI', name: i === 0 ? XSS : `pkg-${i}`, version: `1.${i}.0`, source: 'package-lock.json' }))

async function page(role: 'viewer' | 'admin', agent = ID) {
  const api = fakeApi({ agents: AGENTS, packages: PACKAGES, rows: [row(1), row(2), row(3, { agent: OTHER })] })
  const live = fakeLive()
  live.agents.set(ID, { version: '0.9.1' })
  const el = document.createElement('zt-agent-page') as ZtAgentPage
  Object.assign(el, { api, tenant: 'acme', agent, role, live })
  await mount(el)
  return { el, api, live }
}

describe('zt-agent-page', () => {
  it('shows status, times, version, expiry and revocation, the name as text', async () => {
    const { el } = await page('viewer')
    const root = shadow(el)
    expect(root.querySelector('h1')!.textContent).toBe(XSS)
    expect(root.querySelector('img')).toBeNull()
    expect(root.querySelector('[data-state]')!.getAttribute('data-state')).toBe('online')
    expect(root.querySelector('[data-version]')!.textContent).toBe('0.9.1')
    expect(root.textContent).toContain('2026-11-20 09:00')
    expect(root.textContent).toContain('2027-02-01 00:00')
    expect(root.querySelector('[data-revoked]')!.getAttribute('data-revoked')).toBe('no')
    // A viewer cannot revoke.
    expect(root.querySelector('button.danger')).toBeNull()
  })

  it('lists only this agent\'s findings in the findings table, and opens one on the findings page', async () => {
    const { el, api } = await page('viewer')
    expect(api.calls).toContainEqual(['findings', 'acme', { agent: ID }, { limit: 100 }])
    const table = shadow(el).querySelector('zt-findings-table') as ZtFindingsTable
    expect(table.rows.map((r) => r.agent)).toEqual([ID, ID])
    table.dispatchEvent(new CustomEvent('zt-select', { detail: { id: row(2).id } }))
    expect(location.pathname + location.search).toBe(`/t/acme/findings?agent=${ID}&finding=${row(2).id}`)
  })

  it('pages the inventory from the API', async () => {
    const { el, api } = await page('viewer')
    const root = shadow(el)
    expect(root.querySelectorAll('[data-inventory] tbody tr')).toHaveLength(INVENTORY_PAGE)
    expect(root.querySelector('[data-inventory] td')!.textContent).toBe(XSS)
    expect(root.querySelector('[data-ecosystems]')!.textContent).toBe('npm 100 · PyPI 30')
    ;[...root.querySelectorAll('button')].find((b) => b.textContent!.startsWith('Show'))!.click()
    await settle(el)
    expect(root.querySelectorAll('[data-inventory] tbody tr')).toHaveLength(130)
    expect(api.calls.filter((c) => c[0] === 'inventory').map((c) => (c[3] as { cursor?: string }).cursor)).toEqual([undefined, '100'])
    expect([...root.querySelectorAll('button')].some((b) => b.textContent!.startsWith('Show'))).toBe(false)
  })

  it('revokes (admin) after the confirmation, then shows it revoked', async () => {
    const { el, api } = await page('admin')
    shadow(el).querySelector<HTMLButtonElement>('button.danger')!.click()
    await el.updateComplete
    const dialog = shadow(shadow(el).querySelector('zt-revoke-dialog')!)
    expect(api.calls.some((c) => c[0] === 'revoke')).toBe(false)
    dialog.querySelector<HTMLInputElement>('[name=reason]')!.value = 'decommissioned'
    AGENTS[0]!.revoked = true
    dialog.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await settle(el)
    AGENTS[0]!.revoked = false
    expect(api.calls).toContainEqual(['revoke', 'acme', ID, 'decommissioned'])
    expect(shadow(el).querySelector('zt-revoke-dialog')).toBeNull()
    expect(shadow(el).querySelector('[data-state]')!.getAttribute('data-state')).toBe('revoked')
  })

  it('refetches when this agent\'s findings doc moves, not another\'s; shows the live status at once', async () => {
    const { el, api, live } = await page('viewer')
    const findingsCalls = () => api.calls.filter((c) => c[0] === 'findings').length
    const before = findingsCalls()
    live.fire({ doc: 'findings', agent: OTHER })
    await new Promise((r) => setTimeout(r, 400))
    expect(findingsCalls()).toBe(before)
    live.fire({ doc: 'findings', agent: ID })
    await new Promise((r) => setTimeout(r, 400))
    expect(findingsCalls()).toBe(before + 1)
    live.agents.set(ID, { revoked: true, version: '1.0.0' })
    live.fire({ doc: 'agents', agents: live.agents })
    await el.updateComplete
    expect(shadow(el).querySelector('[data-state]')!.getAttribute('data-state')).toBe('revoked')
    expect(shadow(el).querySelector('[data-version]')!.textContent).toBe('1.0.0')
    // Gone from the page: no more refetches.
    el.remove()
    live.fire({ doc: 'findings', agent: ID })
    await new Promise((r) => setTimeout(r, 400))
    expect(findingsCalls()).toBe(before + 1)
  })

  it('says so for an unknown agent', async () => {
    const { el } = await page('viewer', '12D3KooWNobody' + 'z'.repeat(40))
    expect(shadow(el).querySelector('[role=alert]')!.textContent).toBe('no such agent')
  })
})
