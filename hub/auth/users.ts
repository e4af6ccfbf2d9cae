// Hub user accounts: a name, a scrypt password hash, the hub-wide operator flag and a role per
// tenant. Few enough to be held in memory (every request's principal is read from here, so a
// role change takes effect on the next request); every change is written through to the store.
import type { TenantRole } from '../api/access.ts'
import { TENANT_ROLES } from '../api/access.ts'
import { USER_NAME } from './constants.ts'
import { AuthError } from './errors.ts'
import { loadAll, type JsonLevel } from './json-level.ts'
import { checkPasswordPolicy, hashPassword } from './password.ts'

export interface UserRecord { name: string, passwordHash: string, operator: boolean, roles: Record<string, TenantRole>, created: number }
/** What the API shows of a user: never the hash. */
export interface UserView { name: string, operator: boolean, roles: Record<string, TenantRole>, created: string }

export interface NewUser { name: unknown, password: unknown, operator?: unknown, roles?: unknown }

export const viewOf = (u: UserRecord): UserView => ({ name: u.name, operator: u.operator, roles: { ...u.roles }, created: new Date(u.created).toISOString() })

export function isRole(r: unknown): r is TenantRole {
  return typeof r === 'string' && (TENANT_ROLES as readonly string[]).includes(r)
}

export function checkUserName(name: unknown): string {
  if (typeof name !== 'string' || !USER_NAME.test(name)) throw new AuthError('bad-request', 'name: lowercase letters, digits and . _ @ -, at most 64')
  return name
}

/** A `{tenant: role}` object from outside, validated (tenants are checked by the caller). */
export function checkRoles(roles: unknown): Record<string, TenantRole> {
  if (roles === undefined) return {}
  if (typeof roles !== 'object' || roles === null || Array.isArray(roles)) throw new AuthError('bad-request', 'roles: an object {tenant: role}')
  const out: Record<string, TenantRole> = {}
  for (const [t, r] of Object.entries(roles)) {
    if (!isRole(r)) throw new AuthError('bad-request', `roles.${t}: viewer, analyst or admin`)
    out[t] = r
  }
  return out
}

export class Users {
  readonly #level: JsonLevel<UserRecord>
  readonly #users: Map<string, UserRecord>
  readonly #now: () => number

  private constructor(level: JsonLevel<UserRecord>, users: Map<string, UserRecord>, now: () => number) {
    this.#level = level
    this.#users = users
    this.#now = now
  }

  static async open(level: JsonLevel<UserRecord>, components: { now?: () => number } = {}): Promise<Users> {
    return new Users(level, await loadAll(level), components.now ?? Date.now)
  }

  get size(): number { return this.#users.size }

  get(name: string): UserRecord | undefined { return this.#users.get(name) }

  list(): UserView[] { return [...this.#users.values()].sort((a, b) => a.name.localeCompare(b.name)).map(viewOf) }

  async create(input: NewUser): Promise<UserView> {
    const name = checkUserName(input.name)
    checkPasswordPolicy(input.password)
    if (input.operator !== undefined && typeof input.operator !== 'boolean') throw new AuthError('bad-request', 'operator: true or false')
    const roles = checkRoles(input.roles)
    if (this.#users.has(name)) throw new AuthError('user-exists', `a user ${name} exists`)
    const record: UserRecord = { name, passwordHash: await hashPassword(input.password), operator: input.operator === true, roles, created: this.#now() }
    // Two creations of one name racing through the hash: the first one written wins.
    if (this.#users.has(name)) throw new AuthError('user-exists', `a user ${name} exists`)
    this.#users.set(name, record)
    await this.#level.put(name, record).catch((err: unknown) => { this.#users.delete(name); throw err })
    return viewOf(record)
  }

  async update(name: string, change: (u: UserRecord) => UserRecord | Promise<UserRecord>): Promise<UserView> {
    const held = this.#users.get(name)
    if (!held) throw new AuthError('unknown-user', `no user ${name}`)
    const next = await change({ ...held, roles: { ...held.roles } })
    await this.#level.put(name, next)
    this.#users.set(name, next)
    return viewOf(next)
  }

  async setPassword(name: string, password: unknown): Promise<UserView> {
    checkPasswordPolicy(password)
    const passwordHash = await hashPassword(password)
    return this.update(name, (u) => ({ ...u, passwordHash }))
  }

  async delete(name: string): Promise<void> {
    if (!this.#users.has(name)) throw new AuthError('unknown-user', `no user ${name}`)
    await this.#level.del(name)
    this.#users.delete(name)
  }
}
