// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest'
import './zt-keys-page.ts'
import type { ZtKeysPage } from './zt-keys-page.ts'
import type { CertificateView, SignRequest } from '../api/types.ts'
import { XSS, fakeApi, mount, settle, shadow } from '../web.test-data.ts'

afterEach(() => { document.body.replaceChildren() })
const PEER = '12D3KooWQxwFzmPNTrRq1xTTZ3G9ijkMZpmLcCQL8ACd4Xya5TcT'
const CERTS: CertificateView[] = [
  { serial: 1, subject: PEER, name: XSS, roles: ['agent'], notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2026-04-01T00:00:00.000Z', revoked: false },
  { serial: 2, subject: PEER.replace('Qx', 'Zz'), name: 'old', roles: ['agent', 'relay'], notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2025-04-01T00:00:00.000Z', revoked: true, revokedAt: '2025-02-01T00:00:00.000Z', reason: XSS },
]

async function page() {
  const api = fakeApi({ certificates: CERTS, members: [{ name: XSS, role: 'admin' }, { name: 'bob', role: 'viewer' }], tokens: [{ id: 'aa11', name: 'ci', owner: 'ada', created: '2026-01-02T03:04:00.000Z', lastUsed: null }] })
  const el = document.createElement('zt-keys-page') as ZtKeysPage
  Object.assign(el, { api, tenant: 'acme' })
  await mount(el)
  await settle(el)
  return { el, api }
}
const inner = (el: Element, tag: string) => shadow(shadow(el).querySelector(tag)!)

describe('zt-keys-page', () => {
  it('lists certificates with their revocation, the list version and the users, all as text', async () => {
    const { el } = await page()
    const root = shadow(el)
    expect(root.querySelector('[data-crl-version]')!.getAttribute('data-crl-version')).toBe('3')
    const rows = [...root.querySelectorAll('[data-certificates] tbody tr')]
    expect(rows.map((r) => r.getAttribute('data-serial'))).toEqual(['1', '2'])
    expect(rows[0]!.children[1]!.textContent).toBe(XSS)
    expect(rows[0]!.textContent).toContain('2026-04-01')
    expect(rows[0]!.lastElementChild!.textContent).toBe('no')
    expect(rows[1]!.lastElementChild!.textContent).toContain('revoked 2025-02-01')
    expect(rows[1]!.lastElementChild!.textContent).toContain(XSS)
    expect(rows[0]!.querySelector('a')!.getAttribute('href')).toBe(`/t/acme/agents/${PEER}`)
    expect([...root.querySelectorAll('[data-members] td')].map((td) => td.textContent)).toEqual([XSS, 'admin', 'bob', 'viewer'])
    expect(root.querySelector('img')).toBeNull()
  })

  it('signs an agent from a pasted id with name and roles, shows the certificate to copy, and refreshes the list', async () => {
    const { el, api } = await page()
    const sign = inner(el, 'zt-sign-agent')
    const form = sign.querySelector('form')!
    // Every input has a label.
    for (const input of form.querySelectorAll('input')) expect(input.closest('label')).not.toBeNull()
    form.querySelector<HTMLInputElement>('[name=agent]')!.value = ` ${PEER} `
    form.querySelector<HTMLInputElement>('[name=name]')!.value = 'build-09'
    form.querySelector<HTMLInputElement>('[name=role-relay]')!.checked = true
    form.querySelector<HTMLInputElement>('[name=days]')!.value = '30'
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await settle(el)
    expect(api.calls.find((c) => c[0] === 'signAgent')).toEqual(['signAgent', 'acme', { agent: PEER, name: 'build-09', roles: ['agent', 'relay'], days: 30 } satisfies SignRequest])
    const armored = sign.querySelector<HTMLTextAreaElement>('[data-armored]')!
    expect(armored.value).toContain('BEGIN ZEROTRACE CERTIFICATE')
    expect(sign.querySelector('[data-signed]')!.textContent).toContain('serial 42 for build-09')
    expect(sign.querySelector('a[download="agent.cert"]')).not.toBeNull()
    expect(api.calls.filter((c) => c[0] === 'certificates')).toHaveLength(2)
  })

  it('refuses to sign with no role, without asking the hub', async () => {
    const { el, api } = await page()
    const sign = inner(el, 'zt-sign-agent')
    const form = sign.querySelector('form')!
    form.querySelector<HTMLInputElement>('[name=role-agent]')!.checked = false
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await settle(el)
    expect(sign.querySelector('[role=alert]')!.textContent).toBe('Choose at least one role.')
    expect(api.calls.some((c) => c[0] === 'signAgent')).toBe(false)
  })

  it('makes an API token and shows it once; revokes one after a second press', async () => {
    const { el, api } = await page()
    const tokens = inner(el, 'zt-api-tokens')
    expect(tokens.querySelector('[data-token=aa11]')!.textContent).toContain('never')
    const form = tokens.querySelector('form')!
    form.querySelector<HTMLInputElement>('[name=name]')!.value = 'deploy'
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await settle(el)
    expect(api.calls).toContainEqual(['createToken', 'deploy'])
    expect(tokens.querySelector<HTMLInputElement>('[data-made] input')!.value).toBe('ztk_secret-shown-once')
    const revoke = () => tokens.querySelector<HTMLButtonElement>('[data-token=aa11] button')!
    revoke().click()
    await settle(el)
    expect(api.calls.some((c) => c[0] === 'revokeToken')).toBe(false)
    expect(revoke().textContent).toBe('Really revoke')
    revoke().click()
    await settle(el)
    expect(api.calls).toContainEqual(['revokeToken', 'aa11'])
  })
})
