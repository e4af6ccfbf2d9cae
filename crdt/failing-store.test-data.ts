// A real memory-level store whose batches fail when the test says so (a full disk).
import type { MemoryLevel } from 'memory-level'
import type { Store } from './envelope-log.ts'

/** The store, with its `n`th batch (1, 2, …) rejected with "disk full" whenever `fails(n)`. */
export function failingBatches(db: MemoryLevel<string, Uint8Array>, fails: (n: number) => boolean): Store {
  let batches = 0
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'batch') return (ops: unknown) => (fails(++batches) ? Promise.reject(new Error('disk full')) : target.batch(ops as never))
      const v = Reflect.get(target, prop, receiver)
      return typeof v === 'function' ? v.bind(target) : v
    },
  }) as unknown as Store
}
