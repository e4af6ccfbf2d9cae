// Browser sessions: a random secret in the `zt_session` cookie, stored only as its sha-256,
// with the user, a CSRF token for unsafe methods, and an expiry. Held in memory, written
// through, so sessions survive a hub restart; expired ones are dropped when met, at open and
// at each sign-in, and a user holds at most MAX_SESSIONS_PER_USER (memory stays bounded).
import { createHash, randomBytes } from 'node:crypto'
import { MAX_SESSIONS_PER_USER, SESSION_TTL_MS } from './constants.ts'
import { loadAll, type JsonLevel } from './json-level.ts'

export interface SessionRecord { user: string, csrf: string, created: number, expires: number }

export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex')

export class Sessions {
  readonly #level: JsonLevel<SessionRecord>
  readonly #sessions: Map<string, SessionRecord>
  readonly #now: () => number
  readonly #ttlMs: number

  private constructor(level: JsonLevel<SessionRecord>, sessions: Map<string, SessionRecord>, now: () => number, ttlMs: number) {
    this.#level = level
    this.#sessions = sessions
    this.#now = now
    this.#ttlMs = ttlMs
  }

  static async open(level: JsonLevel<SessionRecord>, init: { ttlMs?: number } = {}, components: { now?: () => number } = {}): Promise<Sessions> {
    const s = new Sessions(level, await loadAll(level), components.now ?? Date.now, init.ttlMs ?? SESSION_TTL_MS)
    const now = s.#now()
    for (const [k, v] of s.#sessions) if (v.expires <= now) await s.#drop(k)
    return s
  }

  async #drop(key: string): Promise<void> {
    this.#sessions.delete(key)
    await this.#level.del(key)
  }

  async create(user: string): Promise<{ secret: string, record: SessionRecord }> {
    const secret = randomBytes(32).toString('base64url')
    const now = this.#now()
    const own: [string, SessionRecord][] = []
    for (const [k, v] of this.#sessions) {
      if (v.expires <= now) await this.#drop(k)
      else if (v.user === user) own.push([k, v])
    }
    own.sort((a, b) => a[1].created - b[1].created)
    for (const [k] of own.slice(0, Math.max(0, own.length - MAX_SESSIONS_PER_USER + 1))) await this.#drop(k)
    const record: SessionRecord = { user, csrf: randomBytes(32).toString('base64url'), created: now, expires: now + this.#ttlMs }
    await this.#level.put(secretHash(secret), record)
    this.#sessions.set(secretHash(secret), record)
    return { secret, record }
  }

  get(secret: string): SessionRecord | undefined {
    const key = secretHash(secret)
    const s = this.#sessions.get(key)
    if (s && s.expires <= this.#now()) {
      this.#drop(key).catch(() => {})
      return undefined
    }
    return s
  }

  async delete(secret: string): Promise<void> {
    const key = secretHash(secret)
    if (this.#sessions.has(key)) await this.#drop(key)
  }

  async deleteUser(user: string): Promise<void> {
    for (const [k, v] of this.#sessions) if (v.user === user) await this.#drop(k)
  }
}
