// Who is calling: each authenticator looks at the request and answers with a principal or
// nothing; the first that answers wins. The operator token (written to the home at start,
// used by the `zt hub …` commands) is one; user sessions and API tokens (hub/auth/) are others.
// A session (a cookie the browser sends by itself) must echo its CSRF token on every unsafe
// method; bearer tokens are never sent by a browser on its own, so they need none.
import { timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import type { Principal } from './access.ts'
import { apiError } from './errors.ts'
import type { ApiEnv } from './route.ts'

export type Authenticator = (c: Context<ApiEnv>) => Promise<Principal | undefined> | Principal | undefined

export function bearerOf(c: Context): string | undefined {
  const auth = c.req.header('authorization') ?? ''
  return auth.startsWith('Bearer ') ? auth.slice(7).trim() || undefined : undefined
}

export function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function operatorToken(token: string): Authenticator {
  return (c) => {
    const given = bearerOf(c)
    return given !== undefined && sameSecret(given, token) ? { via: 'operator-token', operator: true, roles: {} } : undefined
  }
}

export const CSRF_HEADER = 'x-csrf-token'
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function authenticate(authenticators: Authenticator[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    for (const a of authenticators) {
      const p = await a(c)
      if (!p) continue
      if (p.csrf !== undefined && UNSAFE_METHODS.has(c.req.method) && !sameSecret(c.req.header(CSRF_HEADER) ?? '', p.csrf)) {
        apiError(403, 'csrf', `send the CSRF token given at sign-in in the ${CSRF_HEADER} header`)
      }
      c.set('principal', p)
      break
    }
    await next()
  }
}
