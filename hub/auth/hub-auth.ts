// The hub's users, sessions and API tokens as one service: it opens them from the hub store
// (an `auth` sublevel), says who a request is (the authenticators), checks passwords behind
// the login rate limits, and holds the one-time setup token while the hub has no user.
import { randomBytes } from 'node:crypto'
import { getCookie } from 'hono/cookie'
import type { ClassicLevel } from 'classic-level'
import type { Principal } from '../api/access.ts'
import { bearerOf, sameSecret, type Authenticator } from '../api/authenticate.ts'
import { ApiTokens, type TokenRecord } from './api-tokens.ts'
import { SESSION_COOKIE } from './constants.ts'
import { AuthError } from './errors.ts'
import type { JsonLevel } from './json-level.ts'
import { dummyHash, verifyPassword } from './password.ts'
import { FailureLimiter, type RateLimitInit } from './rate-limit.ts'
import { Sessions, type SessionRecord } from './sessions.ts'
import { Users, type UserRecord, type UserView } from './users.ts'

export interface HubAuthInit {
  sessionTtlMs?: number
  loginLimit?: RateLimitInit
  /** Make and announce a setup token when there is no user (the running hub; not offline tools). */
  setup?: boolean
}

export interface HubAuthComponents { now?: () => number, log?: (line: string) => void }

export type LoginResult =
  | { ok: true, user: UserRecord, secret: string, session: SessionRecord }
  | { ok: false, retryAfterMs: number }

/** Paths where a browser may hold a stale session and must not be asked for its CSRF token. */
const SIGN_IN_PATHS = /\/api\/v1\/(auth\/login|setup)$/

export class HubAuth {
  readonly users: Users
  readonly sessions: Sessions
  readonly tokens: ApiTokens
  readonly limiter: FailureLimiter
  #setupToken: string | undefined

  private constructor(users: Users, sessions: Sessions, tokens: ApiTokens, limiter: FailureLimiter) {
    this.users = users
    this.sessions = sessions
    this.tokens = tokens
    this.limiter = limiter
  }

  static async open(db: ClassicLevel<string, Uint8Array>, init: HubAuthInit = {}, components: HubAuthComponents = {}): Promise<HubAuth> {
    const level = db.sublevel('auth')
    const sub = <V>(name: string) => level.sublevel<string, V>(name, { valueEncoding: 'json' }) as unknown as JsonLevel<V>
    const now = components.now
    const auth = new HubAuth(
      await Users.open(sub<UserRecord>('users'), { now }),
      await Sessions.open(sub<SessionRecord>('sessions'), { ttlMs: init.sessionTtlMs }, { now }),
      await ApiTokens.open(sub<TokenRecord>('tokens'), { now }),
      new FailureLimiter(init.loginLimit, { now }),
    )
    void dummyHash() // ready before the first login with an unknown name, which must not take longer
    if (init.setup && auth.users.size === 0) {
      auth.#setupToken = randomBytes(24).toString('base64url')
      components.log?.(`no users yet: redeem the one-time setup token ${auth.#setupToken} with POST /api/v1/setup {token, name, password} to make the first operator (or stop the hub and run zt hub user add --operator NAME)`)
    }
    return auth
  }

  /** The setup token while it can still be redeemed (no user exists and it is unused). */
  get setupToken(): string | undefined {
    return this.users.size === 0 ? this.#setupToken : undefined
  }

  /** Makes the first operator with the setup token; undefined when the token is wrong or spent. */
  async redeemSetup(token: string, name: unknown, password: unknown): Promise<UserView | undefined> {
    const held = this.setupToken
    if (held === undefined || !sameSecret(token, held)) return undefined
    this.#setupToken = undefined // spent before any await: two racing redemptions make one user
    try {
      return await this.users.create({ name, password, operator: true })
    } catch (err) {
      if (err instanceof AuthError) this.#setupToken = held // a bad name or weak password: try again
      throw err
    }
  }

  principalOf(user: UserRecord, via: Principal['via'], csrf?: string): Principal {
    return { via, user: user.name, operator: user.operator, roles: { ...user.roles }, ...(csrf === undefined ? {} : { csrf }) }
  }

  /**
   * Checks a name and password behind the rate limits of the client address and the name:
   * once either is exhausted every attempt is refused, the right password included. An
   * unknown name costs the same scrypt as a known one and counts the same.
   */
  async login(name: string, password: string, address: string): Promise<LoginResult> {
    const keys = [`address:${address}`, `name:${name}`]
    const wait = this.limiter.retryAfter(keys)
    if (wait > 0) return { ok: false, retryAfterMs: wait }
    const user = this.users.get(name)
    const matches = await verifyPassword(password, user?.passwordHash ?? await dummyHash())
    if (!user || !matches) {
      this.limiter.fail(keys)
      return { ok: false, retryAfterMs: 0 }
    }
    this.limiter.reset(`name:${name}`)
    const { secret, record } = await this.sessions.create(user.name)
    return { ok: true, user, secret, session: record }
  }

  async deleteUser(name: string): Promise<void> {
    await this.users.delete(name)
    await this.sessions.deleteUser(name)
    await this.tokens.revokeOwner(name)
  }

  /** API tokens (Authorization: Bearer ztk_…), then the session cookie. */
  authenticators(): Authenticator[] {
    const byToken: Authenticator = (c) => {
      const given = bearerOf(c)
      const record = given === undefined ? undefined : this.tokens.find(given)
      const user = record && this.users.get(record.owner)
      return user ? this.principalOf(user, 'api-token') : undefined
    }
    const bySession: Authenticator = (c) => {
      if (SIGN_IN_PATHS.test(c.req.path)) return undefined
      const secret = getCookie(c, SESSION_COOKIE)
      const session = secret ? this.sessions.get(secret) : undefined
      const user = session && this.users.get(session.user)
      return user ? this.principalOf(user, 'session', session.csrf) : undefined
    }
    return [byToken, bySession]
  }
}
