// The one way the UI talks to the hub's API: JSON over fetch, credentials attached (a session
// cookie with its CSRF token, or a bearer token when the hub has no user logins), every call
// abortable, every failure an ApiError with the API's code.
import { ApiError } from './errors.ts'
import type {
  AgentDetail, CertificateList, Filters, FindingDetail, FindingPage, HubAgent, InventoryPage, Member, ReportFormat, SignRequest, SignedCertificate,
  Summary, TenantEntry, TokenView, TrendDay, TriageRequest, Upgrade,
} from './types.ts'

export const API = '/api/v1'
/** A request that has not answered in this long is given up. */
export const REQUEST_TIMEOUT_MS = 30_000

export type Credentials = { kind: 'session', csrf?: string } | { kind: 'token', token: string }

/** What pages need from the hub; tests hand elements a fake of it. */
export interface Api {
  tenants(signal?: AbortSignal): Promise<TenantEntry[]>
  summary(tenant: string, signal?: AbortSignal): Promise<Summary>
  trends(tenant: string, days: number, signal?: AbortSignal): Promise<TrendDay[]>
  /** The upgrades that clear the most open findings, riskiest first. */
  upgrades(tenant: string, limit: number, signal?: AbortSignal): Promise<Upgrade[]>
  findings(tenant: string, filters: Filters, page: { limit: number, cursor?: string, facets?: boolean }, signal?: AbortSignal): Promise<FindingPage>
  finding(tenant: string, id: string, signal?: AbortSignal): Promise<FindingDetail>
  triage(tenant: string, id: string, body: TriageRequest): Promise<void>
  comment(tenant: string, id: string, text: string): Promise<void>
  agents(tenant: string, signal?: AbortSignal): Promise<HubAgent[]>
  revoke(tenant: string, id: string, reason: string): Promise<void>
  report(tenant: string, format: ReportFormat, filters: Filters): Promise<{ blob: Blob, filename: string }>
  agent(tenant: string, id: string, signal?: AbortSignal): Promise<AgentDetail>
  inventory(tenant: string, id: string, page: { limit: number, cursor?: string }, signal?: AbortSignal): Promise<InventoryPage>
  certificates(tenant: string, signal?: AbortSignal): Promise<CertificateList>
  signAgent(tenant: string, body: SignRequest): Promise<SignedCertificate>
  members(tenant: string, signal?: AbortSignal): Promise<Member[]>
  tokens(signal?: AbortSignal): Promise<TokenView[]>
  createToken(name: string): Promise<TokenView & { token: string }>
  revokeToken(id: string): Promise<void>
}

const enc = encodeURIComponent

/** Query string of the set filters, in a stable order (the same filters give the same URL). */
export function filterQuery(filters: Filters, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v !== undefined && v !== '') p.set(k, String(v))
  p.sort()
  const s = p.toString()
  return s ? `?${s}` : ''
}

export class HttpApi implements Api {
  credentials: Credentials
  readonly #fetch: typeof fetch
  /** Called when the hub no longer takes the credentials (401): the app goes back to login. */
  onUnauthorized: () => void = () => {}

  constructor(credentials: Credentials, components: { fetch?: typeof fetch } = {}) {
    this.credentials = credentials
    this.#fetch = components.fetch ?? ((...a) => fetch(...a))
  }

  async #raw(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.credentials.kind === 'token') headers.authorization = `Bearer ${this.credentials.token}`
    else if (method !== 'GET' && this.credentials.csrf) headers['x-csrf-token'] = this.credentials.csrf
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    const res = await this.#fetch(API + path, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    })
    if (res.ok) return res
    const err = await res.json().catch(() => undefined) as { error?: { code?: string, message?: string } } | undefined
    if (res.status === 401) this.onUnauthorized()
    throw new ApiError(res.status, err?.error?.code ?? 'http-' + res.status, err?.error?.message ?? res.statusText)
  }

  async #json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return (await (await this.#raw(method, path, body, signal)).json()) as T
  }

  async tenants(signal?: AbortSignal) { return (await this.#json<{ tenants: TenantEntry[] }>('GET', '/tenants', undefined, signal)).tenants }
  summary(tenant: string, signal?: AbortSignal) { return this.#json<Summary>('GET', `/tenants/${enc(tenant)}/summary`, undefined, signal) }
  async trends(tenant: string, days: number, signal?: AbortSignal) { return (await this.#json<{ days: TrendDay[] }>('GET', `/tenants/${enc(tenant)}/trends?days=${days}`, undefined, signal)).days }
  async upgrades(tenant: string, limit: number, signal?: AbortSignal) { return (await this.#json<{ upgrades: Upgrade[] }>('GET', `/tenants/${enc(tenant)}/upgrades?limit=${limit}`, undefined, signal)).upgrades }
  findings(tenant: string, filters: Filters, page: { limit: number, cursor?: string, facets?: boolean }, signal?: AbortSignal) {
    return this.#json<FindingPage>('GET', `/tenants/${enc(tenant)}/findings${filterQuery(filters, { limit: page.limit, cursor: page.cursor, facets: page.facets ? 1 : undefined })}`, undefined, signal)
  }
  finding(tenant: string, id: string, signal?: AbortSignal) { return this.#json<FindingDetail>('GET', `/tenants/${enc(tenant)}/findings/${enc(id)}`, undefined, signal) }
  async triage(tenant: string, id: string, body: TriageRequest) { await this.#json('POST', `/tenants/${enc(tenant)}/findings/${enc(id)}/triage`, body) }
  async comment(tenant: string, id: string, text: string) { await this.#json('POST', `/tenants/${enc(tenant)}/findings/${enc(id)}/comments`, { text }) }
  async agents(tenant: string, signal?: AbortSignal) { return (await this.#json<{ agents: HubAgent[] }>('GET', `/tenants/${enc(tenant)}/agents`, undefined, signal)).agents }
  async revoke(tenant: string, id: string, reason: string) { await this.#json('POST', `/tenants/${enc(tenant)}/agents/${enc(id)}/revoke`, { reason }) }
  agent(tenant: string, id: string, signal?: AbortSignal) { return this.#json<AgentDetail>('GET', `/tenants/${enc(tenant)}/agents/${enc(id)}`, undefined, signal) }
  inventory(tenant: string, id: string, page: { limit: number, cursor?: string }, signal?: AbortSignal) {
    return this.#json<InventoryPage>('GET', `/tenants/${enc(tenant)}/agents/${enc(id)}/inventory${filterQuery({}, page)}`, undefined, signal)
  }
  certificates(tenant: string, signal?: AbortSignal) { return this.#json<CertificateList>('GET', `/tenants/${enc(tenant)}/certificates`, undefined, signal) }
  signAgent(tenant: string, body: SignRequest) { return this.#json<SignedCertificate>('POST', `/tenants/${enc(tenant)}/certificates`, body) }
  async members(tenant: string, signal?: AbortSignal) { return (await this.#json<{ members: Member[] }>('GET', `/tenants/${enc(tenant)}/members`, undefined, signal)).members }
  async tokens(signal?: AbortSignal) { return (await this.#json<{ tokens: TokenView[] }>('GET', '/tokens', undefined, signal)).tokens }
  createToken(name: string) { return this.#json<TokenView & { token: string }>('POST', '/tokens', { name }) }
  async revokeToken(id: string) { await this.#json('DELETE', `/tokens/${enc(id)}`) }

  /** A report as a file: fetched with the credentials (a bearer token cannot ride on a plain link). */
  async report(tenant: string, format: ReportFormat, filters: Filters) {
    const { sort: _, ...rest } = filters
    const res = await this.#raw('GET', `/tenants/${enc(tenant)}/reports/${format}${filterQuery(rest)}`)
    const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `zerotrace-${tenant}.${format}`
    return { blob: await res.blob(), filename }
  }
}

/** Signs in with a name and password; undefined when this hub has no user logins (404). */
export async function login(name: string, password: string, components: { fetch?: typeof fetch } = {}): Promise<Credentials | undefined> {
  const f = components.fetch ?? ((...a) => fetch(...a))
  const res = await f(`${API}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, credentials: 'same-origin', body: JSON.stringify({ name, password }) })
  if (res.status === 404) return undefined
  const body = await res.json().catch(() => undefined) as { csrf?: string, error?: { code?: string, message?: string } } | undefined
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'http-' + res.status, body?.error?.message ?? 'sign-in failed')
  return { kind: 'session', csrf: body?.csrf }
}

export async function logout(components: { fetch?: typeof fetch } = {}): Promise<void> {
  const f = components.fetch ?? ((...a) => fetch(...a))
  await f(`${API}/auth/logout`, { method: 'POST', credentials: 'same-origin' }).catch(() => undefined)
}
