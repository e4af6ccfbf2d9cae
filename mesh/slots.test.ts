import { describe, it, expect } from 'vitest'
import { Slots } from './slots.ts'

describe('Slots', () => {
  it('lets at most max run at once, the others in arrival order', async () => {
    const slots = new Slots(2)
    let running = 0
    let most = 0
    const order: number[] = []
    await Promise.all(Array.from({ length: 6 }, async (_, i) => {
      const release = await slots.acquire()
      order.push(i)
      running++
      most = Math.max(most, running)
      await new Promise((r) => setTimeout(r, 5))
      running--
      release()
      release() // twice gives back one slot only
    }))
    expect(most).toBe(2)
    expect(order).toEqual([0, 1, 2, 3, 4, 5])
    // All slots are back: two acquire at once without waiting.
    const [a, b] = await Promise.all([slots.acquire(), slots.acquire()])
    expect(slots.waiting).toBe(0)
    a(); b()
  })
})
