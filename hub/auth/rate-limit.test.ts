import { describe, it, expect } from 'vitest'
import { FailureLimiter } from './rate-limit.ts'

describe('FailureLimiter', () => {
  it('refuses a key after N failures within the window, until the oldest counted one ages out', () => {
    let now = 1_000_000
    const l = new FailureLimiter({ failures: 3, windowMs: 60_000 }, { now: () => now })
    for (let i = 0; i < 3; i++) { expect(l.retryAfter(['a'])).toBe(0); l.fail(['a']); now += 10_000 }
    // failures at 0 s, 10 s, 20 s; now 30 s: free again at 60 s
    expect(l.retryAfter(['a'])).toBe(30_000)
    expect(l.retryAfter(['b'])).toBe(0)
    expect(l.retryAfter(['b', 'a'])).toBe(30_000)
    now += 30_000
    expect(l.retryAfter(['a'])).toBe(0)
    l.fail(['a']) // 10 s, 20 s, 60 s: blocked until 70 s
    expect(l.retryAfter(['a'])).toBe(10_000)
    l.reset('a')
    expect(l.retryAfter(['a'])).toBe(0)
  })

  it('holds at most maxKeys keys, dropping the oldest', () => {
    const l = new FailureLimiter({ failures: 1, maxKeys: 100 }, { now: () => 5 })
    for (let i = 0; i < 1000; i++) l.fail([`k${i}`])
    expect(l.retryAfter(['k999'])).toBeGreaterThan(0)
    expect(l.retryAfter(['k0'])).toBe(0)
  })
})
