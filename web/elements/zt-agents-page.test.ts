// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest'
import './zt-agents-page.ts'
import { agentState, type ZtAgentsPage } from './zt-agents-page.ts'
import type { HubAgent } from '../api/types.ts'
import { fakeApi, fakeLive, mount, settle, shadow } from '../web.test-data.ts'

afterEach(() => { document.body.replaceChildren() })
const now = Date.now()
const AGENTS: HubAgent[] = [
  { id: 'A'.repeat(52), name: 'build-01', online: true, revoked: false, lastSeen: new Date(now).toISOString(), version: '0.1.0' },
  { id: 'B'.repeat(52), name: 'laptop-7', online: false, revoked: false, lastSeen: new Date(now - 3_600_000).toISOString() },
  { id: 'C'.repeat(52), name: 'old-vm', online: false, revoked: false, lastSeen: new Date(now - 3 * 86_400_000).toISOString() },
  { id: 'D'.repeat(52), name: 'gone', online: false, revoked: true },
]

async function page(role: 'viewer' | 'admin') {
  const api = fakeApi({ agents: AGENTS })
  const live = fakeLive()
  const el = document.createElement('zt-agents-page') as ZtAgentsPage
  Object.assign(el, { api, tenant: 'acme', role, live })
  await mount(el)
  return { el, api, live }
}
const states = (el: Element) => [...shadow(el).querySelectorAll('[data-state]')].map((s) => s.getAttribute('data-state'))

describe('zt-agents-page', () => {
  it('shows each agent online, offline, stale or revoked; viewers get no revoke button', async () => {
    const { el } = await page('viewer')
    expect(states(el)).toEqual(['online', 'offline', 'stale', 'revoked'])
    expect([...shadow(el).querySelectorAll('[data-version]')].map((c) => c.textContent)).toEqual(['0.1.0', '—', '—', '—'])
    expect(shadow(el).querySelector('button.danger')).toBeNull()
    expect(agentState({ id: 'x', online: false, revoked: false }, now)).toBe('stale')
  })

  it('revokes after a confirmation that asks for the reason', async () => {
    const { el, api } = await page('admin')
    const buttons = shadow(el).querySelectorAll<HTMLButtonElement>('button.danger')
    expect(buttons).toHaveLength(3)
    buttons[1]!.click()
    await el.updateComplete
    const dialog = shadow(shadow(el).querySelector('zt-revoke-dialog')!).querySelector('dialog')!
    expect(dialog.textContent).toContain('Revoke laptop-7?')
    expect(api.calls.some((c) => c[0] === 'revoke')).toBe(false)
    dialog.querySelector<HTMLInputElement>('[name=reason]')!.value = 'laptop lost'
    dialog.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await settle(el)
    expect(api.calls).toContainEqual(['revoke', 'acme', 'B'.repeat(52), 'laptop lost'])
    expect(shadow(el).querySelector('zt-revoke-dialog')).toBeNull()
    expect(shadow(el).querySelector('[data-agent] a')!.getAttribute('href')).toBe(`/t/acme/agents/${'A'.repeat(52)}`)
  })

  it('applies agent status from the live doc at once', async () => {
    const { el, live } = await page('viewer')
    live.agents.set('B'.repeat(52), { online: true, lastSeen: now })
    live.agents.set('A'.repeat(52), { revoked: true })
    live.fire({ doc: 'agents', agents: live.agents })
    await el.updateComplete
    expect(states(el)).toEqual(['revoked', 'online', 'stale', 'revoked'])
  })
})
