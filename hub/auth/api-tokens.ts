// API tokens for scripts and CI: `ztk_` + 32 random bytes, shown once at creation and stored
// only as their sha-256, with a name, an owner (the user whose roles the token carries, read
// at each use), when it was made and last used. Revocable by id.
import { randomBytes } from 'node:crypto'
import { API_TOKEN_PREFIX, LAST_USED_WRITE_MS, TOKEN_NAME_MAX } from './constants.ts'
import { AuthError } from './errors.ts'
import { loadAll, type JsonLevel } from './json-level.ts'
import { secretHash } from './sessions.ts'

export interface TokenRecord { id: string, name: string, owner: string, created: number, lastUsed?: number }
export interface TokenView { id: string, name: string, owner: string, created: string, lastUsed: string | null }

const viewOf = (t: TokenRecord): TokenView => ({
  id: t.id, name: t.name, owner: t.owner, created: new Date(t.created).toISOString(), lastUsed: t.lastUsed === undefined ? null : new Date(t.lastUsed).toISOString(),
})

export class ApiTokens {
  readonly #level: JsonLevel<TokenRecord>
  /** sha-256 of the token → record. */
  readonly #tokens: Map<string, TokenRecord>
  readonly #written = new Map<string, number>()
  readonly #now: () => number

  private constructor(level: JsonLevel<TokenRecord>, tokens: Map<string, TokenRecord>, now: () => number) {
    this.#level = level
    this.#tokens = tokens
    this.#now = now
  }

  static async open(level: JsonLevel<TokenRecord>, components: { now?: () => number } = {}): Promise<ApiTokens> {
    return new ApiTokens(level, await loadAll(level), components.now ?? Date.now)
  }

  async create(owner: string, name: unknown): Promise<{ token: string, view: TokenView }> {
    if (typeof name !== 'string' || name.trim() === '' || name.length > TOKEN_NAME_MAX) throw new AuthError('bad-request', `name: 1 to ${TOKEN_NAME_MAX} characters`)
    const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url')
    const record: TokenRecord = { id: randomBytes(8).toString('hex'), name: name.trim(), owner, created: this.#now() }
    await this.#level.put(secretHash(token), record)
    this.#tokens.set(secretHash(token), record)
    return { token, view: viewOf(record) }
  }

  /** The token's record, its last use noted (written to the store at most once a minute). */
  find(token: string): TokenRecord | undefined {
    if (!token.startsWith(API_TOKEN_PREFIX)) return undefined
    const key = secretHash(token)
    const record = this.#tokens.get(key)
    if (!record) return undefined
    const now = this.#now()
    record.lastUsed = now
    if (now - (this.#written.get(key) ?? -Infinity) >= LAST_USED_WRITE_MS) {
      this.#written.set(key, now)
      this.#level.put(key, record).catch(() => {})
    }
    return record
  }

  /** Tokens of `owner`, or all. */
  list(owner?: string): TokenView[] {
    return [...this.#tokens.values()].filter((t) => owner === undefined || t.owner === owner).sort((a, b) => a.created - b.created || a.id.localeCompare(b.id)).map(viewOf)
  }

  byId(id: string): TokenRecord | undefined {
    for (const t of this.#tokens.values()) if (t.id === id) return t
    return undefined
  }

  async revoke(id: string): Promise<void> {
    for (const [k, t] of this.#tokens) {
      if (t.id !== id) continue
      await this.#level.del(k)
      this.#tokens.delete(k)
      return
    }
    throw new AuthError('unknown-token', `no token ${id}`)
  }

  async revokeOwner(owner: string): Promise<void> {
    for (const t of [...this.#tokens.values()]) if (t.owner === owner) await this.revoke(t.id)
  }
}
