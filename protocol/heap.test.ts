import { getHeapStatistics } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { giveBackMemory, HeapBudget } from './heap.ts'

const MB = 1024 * 1024

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now()
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('HeapBudget', () => {
  it('starts a full collection once the heap passes factor × live, and learns the live size it left', async () => {
    const budget = new HeapBudget({ factor: 1.1, slackBytes: 16 * MB, everyMs: 5 }).start()
    try {
      // Under the limit: nothing to do.
      expect(getHeapStatistics().used_heap_size).toBeLessThan(budget.limit)
      expect(budget.check()).toBe(false)
      // A server's work: batches that outlive young-generation cycles (as a hub's decoded docs
      // do), dropped once handled, while the next ones arrive.
      const batch = (i: number) => Array.from({ length: 20_000 }, (_, j) => ({ i, j, s: `row-${i}-${j}` }))
      let held: object[][] = []
      let grown = 0
      for (let i = 0; budget.started === 0; i++) {
        if (i > 2000) throw new Error('the budget never started a collection')
        held.push(batch(i))
        if (held.length > 10) held = held.slice(5)
        grown = Math.max(grown, getHeapStatistics().used_heap_size)
        await new Promise((r) => setImmediate(r))
      }
      held = []
      // The collection ran and its live size was read: the limit is back below what was in use.
      await until(() => budget.limit < grown)
      void held
      expect(budget.limit).toBeLessThan(grown)
    } finally {
      budget.stop()
    }
  })

  it('widens its limit after a collection that freed little, and sets it back after one that freed much', async () => {
    const budget = new HeapBudget({ factor: 1.2, slackBytes: 0, everyMs: 1000 }).start()
    try {
      // What is allocated stays live: the collection finds almost nothing to free.
      giveBackMemory()
      const kept: object[][] = []
      for (let i = 0; i < 150; i++) kept.push(Array.from({ length: 20_000 }, (_, j) => ({ i, j })))
      await until(() => budget.check())
      await until(() => budget.factor > 1.2)
      expect(budget.factor).toBeCloseTo(1.8)
      // Then it all becomes garbage, and more with it: the next collection frees most of the heap.
      kept.length = 0
      let garbage: object[][] = []
      for (let i = 0; !budget.check(); i++) {
        if (i > 1000) throw new Error('the budget never started a collection')
        garbage.push(Array.from({ length: 20_000 }, (_, j) => ({ i, j })))
        if (garbage.length > 80) garbage = []
        await new Promise((r) => setImmediate(r))
      }
      await until(() => budget.factor === 1.2)
      void garbage
    } finally {
      budget.stop()
    }
  })

  it('starts no second collection while one is running', () => {
    giveBackMemory()
    const budget = new HeapBudget({ factor: 1, slackBytes: 0 })
    // Not started: no observer will report the first one finished.
    let held: number[][] | undefined = Array.from({ length: 200 }, () => new Array(10_000).fill(1))
    expect(budget.check()).toBe(true)
    expect(budget.check()).toBe(false)
    expect(budget.started).toBe(1)
    held = undefined
    void held
  })
})
