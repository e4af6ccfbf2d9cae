// Test support: an HTTP caller of a running hub as a browser (session cookie + CSRF token) or
// a script (bearer token), or nobody.
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'session', cookie: string, csrf: string }
  | { kind: 'bearer', token: string }

export const ANONYMOUS: Caller = { kind: 'anonymous' }

export interface CallOptions { body?: unknown, csrf?: string | null, headers?: Record<string, string> }

export async function call(base: string, caller: Caller, method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers }
  if (caller.kind === 'bearer') headers.authorization = `Bearer ${caller.token}`
  if (caller.kind === 'session') {
    headers.cookie = caller.cookie
    if (opts.csrf !== null && method !== 'GET') headers['x-csrf-token'] = opts.csrf ?? caller.csrf
  }
  let body: string | undefined
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body)
    headers['content-type'] ??= 'application/json'
  }
  return fetch(base + path, { method, headers, body })
}

export async function login(base: string, name: string, password: string): Promise<Caller & { kind: 'session' }> {
  const res = await call(base, ANONYMOUS, 'POST', '/api/v1/auth/login', { body: { name, password } })
  if (res.status !== 200) throw new Error(`login ${name}: ${res.status} ${await res.text()}`)
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('zt_session='))!.split(';')[0]!
  return { kind: 'session', cookie, csrf: ((await res.json()) as { csrf: string }).csrf }
}

export const errorCode = async (res: Response) => ((await res.clone().json().catch(() => ({}))) as { error?: { code?: string } }).error?.code
