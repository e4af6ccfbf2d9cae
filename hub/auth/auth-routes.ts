// /auth/login, /auth/logout, /auth/me, /auth/password and the one-time /setup.
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import { asApi, clientAddress, objectBody, rateLimited } from './api-edge.ts'
import { MAX_NAME, MAX_PASSWORD, SESSION_COOKIE } from './constants.ts'
import type { HubAuth } from './hub-auth.ts'
import { verifyPassword } from './password.ts'
import type { SessionRecord } from './sessions.ts'
import type { UserRecord } from './users.ts'

const isHttps = (c: Context) => new URL(c.req.url).protocol === 'https:'

/**
 * Sign-in bodies must be JSON: a cross-site HTML form cannot send that without a CORS
 * preflight the hub never grants, so no other site can sign a browser in (login CSRF).
 */
async function signInBody(c: Context): Promise<Record<string, unknown>> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) apiError(400, 'bad-request', 'send JSON (content-type: application/json)')
  return objectBody(c)
}

function startSession(c: Context, auth: HubAuth, user: UserRecord, secret: string, session: SessionRecord): Response {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true, sameSite: 'Strict', path: '/', secure: isHttps(c), maxAge: Math.floor((session.expires - session.created) / 1000),
  })
  const p = auth.principalOf(user, 'session')
  return c.json({ user: p.user, operator: p.operator, roles: p.roles, csrf: session.csrf, expires: new Date(session.expires).toISOString() })
}

export function authRoutes(routes: Routes, auth: HubAuth): void {
  routes.add('POST', '/auth/login', { kind: 'public' }, 'sign in {name, password}: a session cookie, and the CSRF token to send with changes', async (c) => {
    const body = await signInBody(c)
    if (typeof body.name !== 'string' || typeof body.password !== 'string') apiError(400, 'bad-request', 'name and password: strings')
    // Limits everyone knows; they keep the rate limiter's keys and scrypt's input small.
    if (body.name.length > MAX_NAME || body.password.length > MAX_PASSWORD) apiError(400, 'bad-request', `a name has at most ${MAX_NAME} characters, a password ${MAX_PASSWORD}`)
    const result = await auth.login(body.name.toLowerCase(), body.password, clientAddress(c))
    if (!result.ok) {
      if (result.retryAfterMs > 0) rateLimited(result.retryAfterMs)
      apiError(401, 'bad-credentials', 'wrong name or password')
    }
    return startSession(c, auth, result.user, result.secret, result.session)
  })

  routes.add('POST', '/auth/logout', { kind: 'authenticated' }, 'end this session', async (c) => {
    const p = c.get('principal')!
    if (p.via === 'session') {
      await auth.sessions.delete(getCookie(c, SESSION_COOKIE) ?? '')
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c), httpOnly: true, sameSite: 'Strict' })
    }
    return c.json({ ok: true })
  })

  routes.add('GET', '/auth/me', { kind: 'authenticated' }, 'who the caller is: user, operator, roles per tenant', (c) => {
    const p = c.get('principal')!
    return c.json({ user: p.user ?? null, operator: p.operator, roles: p.roles, via: p.via })
  })

  routes.add('POST', '/auth/password', { kind: 'authenticated' }, 'change one\'s own password {current, password}', async (c) => {
    const p = c.get('principal')!
    const body = await objectBody(c)
    const user = p.user === undefined ? undefined : auth.users.get(p.user)
    if (!user) apiError(400, 'bad-request', 'the operator token has no password; sign in as a user')
    if (typeof body.current !== 'string' || !(await verifyPassword(body.current, user.passwordHash))) apiError(400, 'bad-credentials', 'current: the present password')
    await asApi(() => auth.users.setPassword(user.name, body.password))
    // Other sessions of the user end: a changed password is often a suspected theft.
    await auth.sessions.deleteUser(user.name)
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c), httpOnly: true, sameSite: 'Strict' })
    return c.json({ ok: true })
  })

  routes.add('POST', '/setup', { kind: 'public' }, 'first run: redeem the one-time setup token {token, name, password} for the first operator', async (c) => {
    if (auth.setupToken === undefined) apiError(409, 'already-set-up', 'the hub has users: sign in')
    const body = await signInBody(c)
    if (typeof body.token !== 'string') apiError(400, 'bad-request', 'token: the setup token the hub printed at start')
    const keys = [`setup:${clientAddress(c)}`]
    const wait = auth.limiter.retryAfter(keys)
    if (wait > 0) rateLimited(wait)
    const made = await asApi(() => auth.redeemSetup(body.token as string, typeof body.name === 'string' ? body.name.toLowerCase() : body.name, body.password))
    if (!made) {
      auth.limiter.fail(keys)
      apiError(403, 'bad-setup-token', 'not the setup token')
    }
    const { secret, record } = await auth.sessions.create(made.name)
    return startSession(c, auth, auth.users.get(made.name)!, secret, record)
  })
}
