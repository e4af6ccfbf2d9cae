// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest'
import './zt-login.ts'
import type { LoginRequest, ZtLogin } from './zt-login.ts'
import { mount, shadow } from '../web.test-data.ts'

afterEach(() => { document.body.replaceChildren() })

async function submit(el: ZtLogin, fields: Record<string, string>): Promise<LoginRequest> {
  const got = new Promise<LoginRequest>((r) => el.addEventListener('zt-login', (e) => r((e as CustomEvent<LoginRequest>).detail)))
  const form = shadow(el).querySelector('form')!
  for (const [k, v] of Object.entries(fields)) form.querySelector<HTMLInputElement>(`[name=${k}]`)!.value = v
  form.dispatchEvent(new Event('submit', { cancelable: true }))
  return got
}

describe('zt-login', () => {
  it('asks for a name and password on a hub with users, or a token on request', async () => {
    const el = await mount(document.createElement('zt-login') as ZtLogin)
    expect([...shadow(el).querySelectorAll('input')].map((i) => i.name)).toEqual(['name', 'password'])
    expect(await submit(el, { name: ' ana ', password: 'correct horse' })).toEqual({ name: 'ana', password: 'correct horse' })
    shadow(el).querySelector<HTMLButtonElement>('button.switch')!.click()
    await el.updateComplete
    expect(await submit(el, { token: ' ztk_abc ' })).toEqual({ token: 'ztk_abc' })
  })

  it('asks only for a token on a hub without user logins, and shows an error as text', async () => {
    const el = document.createElement('zt-login') as ZtLogin
    el.users = false
    el.error = '<i>no</i>'
    await mount(el)
    expect([...shadow(el).querySelectorAll('input')].map((i) => i.name)).toEqual(['token'])
    expect(shadow(el).textContent).toContain('operator.token')
    expect(shadow(el).querySelector('[role=alert]')!.textContent).toBe('<i>no</i>')
    expect(shadow(el).querySelector('button.switch')).toBeNull()
  })
})
