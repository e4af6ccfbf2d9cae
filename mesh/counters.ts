// Named counters (refusals by code, envelopes accepted and rejected by reason…): what a
// hub's /metrics and the tests read. Plain numbers in a map; nothing is ever reset.
export class Counters {
  readonly #values = new Map<string, number>()

  add(name: string, by = 1): void {
    this.#values.set(name, (this.#values.get(name) ?? 0) + by)
  }

  get(name: string): number {
    return this.#values.get(name) ?? 0
  }

  /** Every counter whose name starts with `prefix`, without it. */
  byPrefix(prefix: string): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [k, v] of this.#values) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v
    return out
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#values)
  }
}
