import { describe, it, expect } from 'vitest'
import { agentPath, parseRoute, pathFor } from './router.ts'
import { HttpApi, filterQuery } from './api/client.ts'
import { ApiError } from './api/errors.ts'

describe('routes', () => {
  it('reads the page, tenant, filters and open finding from the URL, and writes them back the same', () => {
    const url = new URL('http://hub/t/acme/findings?severity=high&q=lodash&finding=abc&junk=1')
    expect(parseRoute(url)).toEqual({ page: 'findings', tenant: 'acme', filters: { severity: 'high', q: 'lodash' }, finding: 'abc' })
    expect(pathFor('acme', 'findings', { severity: 'high', q: 'lodash' }, 'abc')).toBe('/t/acme/findings?severity=high&q=lodash&finding=abc')
    expect(parseRoute(new URL('http://hub/t/a%20b'))).toMatchObject({ page: 'overview', tenant: 'a b' })
    expect(parseRoute(new URL('http://hub/login')).page).toBe('login')
    expect(parseRoute(new URL('http://hub/')).page).toBe('home')
    expect(parseRoute(new URL('http://hub/t/acme/nope')).page).toBe('not-found')
    expect(parseRoute(new URL('http://hub/t/acme/keys'))).toMatchObject({ page: 'keys', tenant: 'acme' })
  })

  it('reads one agent from /t/<tenant>/agents/<id> and writes the same path', () => {
    const id = '12D3KooWQx' + 'a'.repeat(40)
    expect(parseRoute(new URL('http://hub' + agentPath('acme', id)))).toEqual({ page: 'agent', tenant: 'acme', agent: id, filters: {} })
    expect(parseRoute(new URL('http://hub/t/acme/agents/x/y')).page).toBe('not-found')
    expect(parseRoute(new URL('http://hub/t/acme/findings/x')).page).toBe('not-found')
  })
})

describe('the API client', () => {
  it('sends the bearer token, the filters in a stable order, and maps errors to their code', async () => {
    const seen: { url: string, init: RequestInit }[] = []
    const api = new HttpApi({ kind: 'token', token: 'T' }, {
      fetch: async (url, init) => {
        seen.push({ url: String(url), init: init! })
        return String(url).includes('/agents')
          ? new Response(JSON.stringify({ error: { code: 'forbidden', message: 'no' } }), { status: 403 })
          : new Response(JSON.stringify({ findings: [], next: null }))
      },
    })
    await api.findings('acme', { sort: 'risk', severity: 'high', q: '' }, { limit: 100, facets: true })
    expect(seen[0]!.url).toBe('/api/v1/tenants/acme/findings?facets=1&limit=100&severity=high&sort=risk')
    expect((seen[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer T')
    const err = await api.agents('acme').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 403, code: 'forbidden' })
    expect(filterQuery({})).toBe('')
  })

  it('sends the CSRF token on writes in a session, never a bearer', async () => {
    let headers: Record<string, string> = {}
    const api = new HttpApi({ kind: 'session', csrf: 'C' }, { fetch: async (_u, init) => { headers = init!.headers as Record<string, string>; return new Response('{}') } })
    await api.triage('acme', 'f'.repeat(32), { status: 'fixed' })
    expect(headers['x-csrf-token']).toBe('C')
    expect(headers.authorization).toBeUndefined()
  })
})
