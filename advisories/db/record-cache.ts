// Decoded records per package, least recently used first out, bounded by how many records
// it holds in all: a scan asks for the same packages over and over (every lockfile lists
// them), while the DB itself stays on disk. Packages without advisories cost one slot.
import type { OsvRecord } from '../osv.ts'

export class RecordCache {
  readonly #limit: number
  readonly #entries = new Map<string, readonly OsvRecord[]>()
  #weight = 0

  /** `limit`: records held at most (each package costs at least 1). */
  constructor(limit: number) {
    this.#limit = Math.max(1, limit)
  }

  get size(): number {
    return this.#entries.size
  }

  get(key: string): readonly OsvRecord[] | undefined {
    const hit = this.#entries.get(key)
    if (hit !== undefined) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.#entries.delete(key)
      this.#entries.set(key, hit)
    }
    return hit
  }

  set(key: string, records: readonly OsvRecord[]): void {
    const old = this.#entries.get(key)
    if (old !== undefined) {
      this.#entries.delete(key)
      this.#weight -= weightOf(old)
    }
    const w = weightOf(records)
    if (w > this.#limit) return
    this.#entries.set(key, records)
    this.#weight += w
    for (const [k, v] of this.#entries) {
      if (this.#weight <= this.#limit) break
      this.#entries.delete(k)
      this.#weight -= weightOf(v)
    }
  }

  clear(): void {
    this.#entries.clear()
    this.#weight = 0
  }
}

function weightOf(records: readonly OsvRecord[]): number {
  return Math.max(1, records.length)
}
