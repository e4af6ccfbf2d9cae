// Where the auth routes meet HTTP: JSON bodies read once and checked to be objects, AuthError
// codes mapped to statuses, the caller's address for the rate limits, and the 429 answer.
import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { HTTPException } from 'hono/http-exception'
import { apiError } from '../api/errors.ts'
import { AuthError } from './errors.ts'

export async function objectBody(c: Context): Promise<Record<string, unknown>> {
  const body = await c.req.json().catch(() => undefined) as unknown
  if (typeof body !== 'object' || body === null || Array.isArray(body)) apiError(400, 'bad-request', 'send a JSON object')
  return body as Record<string, unknown>
}

const STATUS = { 'bad-request': 400, 'weak-password': 400, 'user-exists': 409, 'unknown-user': 404, 'unknown-token': 404 } as const

/** Runs `fn`, answering an AuthError in the API's error shape. */
export async function asApi<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof AuthError) apiError(STATUS[err.code], err.code, err.message)
    throw err
  }
}

/**
 * The TCP peer's address. Headers such as X-Forwarded-For are not believed: anyone can send
 * them, and the limits would be no limits. (Behind a proxy every client shares its address,
 * and the per-name limit still holds.)
 */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown' // app.request() in tests has no socket
  }
}

export function rateLimited(retryAfterMs: number): never {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  throw new HTTPException(429, {
    res: Response.json({ error: { code: 'rate-limited', message: `too many failed attempts; try again in ${seconds} s` } }, { status: 429, headers: { 'retry-after': String(seconds) } }),
  })
}
