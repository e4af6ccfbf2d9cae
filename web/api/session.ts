// Which credentials this tab holds: a session (the cookie is the hub's; the CSRF token is
// kept here) or a bearer token typed on the login page. Kept in sessionStorage, so closing
// the tab forgets a typed token.
import { API, type Credentials } from './client.ts'
import type { TenantEntry } from './types.ts'

const KEY = 'zt.credentials'

export type SessionProbe =
  | { state: 'signed-in', credentials: Credentials, user?: string, tenants?: TenantEntry[] }
  | { state: 'signed-out', users: boolean }

export function storedCredentials(storage: Storage = sessionStorage): Credentials | undefined {
  try {
    const c = JSON.parse(storage.getItem(KEY) ?? 'null') as Credentials | null
    if (c?.kind === 'token' && typeof c.token === 'string' && c.token) return c
    if (c?.kind === 'session') return c
  } catch { /* unreadable: signed out */ }
  return undefined
}

export function storeCredentials(c: Credentials | undefined, storage: Storage = sessionStorage): void {
  if (c) storage.setItem(KEY, JSON.stringify(c))
  else storage.removeItem(KEY)
}

/**
 * Where this tab stands: a live session cookie (GET /auth/me answers), a stored token the hub
 * still takes, an identity the hub gets from in front of it (an authenticating proxy), or signed out, knowing whether the hub has user logins at all (/auth/me 404s
 * on a hub without them: the login page then asks for a token).
 */
export async function probeSession(components: { fetch?: typeof fetch, storage?: Storage } = {}): Promise<SessionProbe> {
  const f = components.fetch ?? ((...a) => fetch(...a))
  const stored = storedCredentials(components.storage)
  const json = { accept: 'application/json' }
  // Asked together: the first page load waits for one round trip, not three.
  const [me, withToken, ambient] = await Promise.all([
    f(`${API}/auth/me`, { credentials: 'same-origin', headers: json }).catch(() => undefined),
    stored?.kind === 'token' ? f(`${API}/tenants`, { headers: { ...json, authorization: `Bearer ${stored.token}` } }).catch(() => undefined) : undefined,
    // Already known without anything from us: a proxy in front of the hub that authenticates.
    f(`${API}/tenants`, { credentials: 'same-origin', headers: json }).catch(() => undefined),
  ])
  const users = me !== undefined && me.status !== 404
  const tenantsOf = async (res: Response) => ((await res.json().catch(() => ({}))) as { tenants?: TenantEntry[] }).tenants
  if (me?.ok) {
    const body = await me.json().catch(() => ({})) as { csrf?: string, name?: string, user?: string | { name?: string } }
    const user = typeof body.user === 'string' ? body.user : body.user?.name ?? body.name
    const csrf = body.csrf ?? (stored?.kind === 'session' ? stored.csrf : undefined)
    return { state: 'signed-in', credentials: { kind: 'session', csrf }, user, tenants: ambient?.ok ? await tenantsOf(ambient) : undefined }
  }
  if (stored?.kind === 'token' && withToken?.ok) return { state: 'signed-in', credentials: stored, tenants: await tenantsOf(withToken) }
  if (ambient?.ok) return { state: 'signed-in', credentials: { kind: 'session' }, tenants: await tenantsOf(ambient) }
  return { state: 'signed-out', users }
}
