// Defaults of the hub's users, sessions, API tokens and login rate limits, in one place.

export const SESSION_COOKIE = 'zt_session'
/** A session lasts this long from login, then the user signs in again. */
export const SESSION_TTL_MS = 12 * 3600_000
/** Sessions one user may hold at once; a new sign-in past this ends their oldest. */
export const MAX_SESSIONS_PER_USER = 20
/** API tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
export const API_TOKEN_PREFIX = 'ztk_'
/** How often a token's "last used" is written to the store at most (it is kept in memory between). */
export const LAST_USED_WRITE_MS = 60_000

/** Failed logins allowed per client address and per user name within the window, then 429. */
export const LOGIN_FAILURES = 5
export const LOGIN_WINDOW_MS = 60_000
/** Rate-limit keys held at most (oldest dropped), so a flood of names cannot grow memory. */
export const LIMITER_MAX_KEYS = 10_000

/** scrypt cost: N=2^15, r=8, p=1 (~32 MiB, some tens of ms), 32-byte key, 16-byte salt. */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const

export const MIN_PASSWORD = 10
export const MAX_PASSWORD = 1024
export const MAX_NAME = 64
/** User names: lowercase, so "Alice" and "alice" are one account. */
export const USER_NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/
export const TOKEN_NAME_MAX = 100
