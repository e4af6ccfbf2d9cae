// Who is calling: each authenticator looks at the request and answers with a principal or
// nothing; the first that answers wins. The operator token (written to the home at start,
// used by the `zt hub …` commands) is one; user sessions and API tokens are others.
import { timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import type { Principal } from './access.ts'
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

export function authenticate(authenticators: Authenticator[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    for (const a of authenticators) {
      const p = await a(c)
      if (p) { c.set('principal', p); break }
    }
    await next()
  }
}
