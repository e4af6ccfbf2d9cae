// Failed-login counting: at most `failures` failures per key (a client address, a user name)
// within a sliding window; past that every attempt on the key is refused until the oldest
// failure ages out, the right password included. Keys are counted whether or not a user by
// that name exists, so the limiter reveals nothing about accounts. Memory is bounded: the
// oldest keys are dropped past `maxKeys`.
import { LIMITER_MAX_KEYS, LOGIN_FAILURES, LOGIN_WINDOW_MS } from './constants.ts'

export interface RateLimitInit { failures?: number, windowMs?: number, maxKeys?: number }

export class FailureLimiter {
  readonly #failures: number
  readonly #windowMs: number
  readonly #maxKeys: number
  readonly #now: () => number
  /** Key → times of recent failures, oldest first; Map order is insertion order (oldest key first). */
  readonly #seen = new Map<string, number[]>()

  constructor(init: RateLimitInit = {}, components: { now?: () => number } = {}) {
    this.#failures = init.failures ?? LOGIN_FAILURES
    this.#windowMs = init.windowMs ?? LOGIN_WINDOW_MS
    this.#maxKeys = init.maxKeys ?? LIMITER_MAX_KEYS
    this.#now = components.now ?? Date.now
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#seen.get(key) ?? []).filter((t) => now - t < this.#windowMs)
    if (times.length === 0) this.#seen.delete(key)
    else this.#seen.set(key, times)
    return times
  }

  /** Milliseconds until any of `keys` may try again; 0 when all may now. */
  retryAfter(keys: string[]): number {
    const now = this.#now()
    let wait = 0
    for (const key of keys) {
      const times = this.#recent(key, now)
      if (times.length >= this.#failures) wait = Math.max(wait, times[times.length - this.#failures]! + this.#windowMs - now)
    }
    return wait
  }

  fail(keys: string[]): void {
    const now = this.#now()
    for (const key of keys) {
      const times = this.#recent(key, now)
      this.#seen.delete(key)
      this.#seen.set(key, [...times, now].slice(-this.#failures))
    }
    while (this.#seen.size > this.#maxKeys) this.#seen.delete(this.#seen.keys().next().value!)
  }

  reset(key: string): void {
    this.#seen.delete(key)
  }
}
