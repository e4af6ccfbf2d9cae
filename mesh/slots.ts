// A fair limit on work done at once across sessions: a hub with hundreds of agents sending
// together applies the envelopes of a few at a time, in arrival order, while the others'
// streams are paused (their data waits at the sender, not in the hub's memory).

export class Slots {
  readonly #max: number
  #used = 0
  readonly #waiting: (() => void)[] = []

  constructor(max: number) {
    if (!(max >= 1)) throw new RangeError('slots: at least one')
    this.#max = max
  }

  /** Waits for a slot; call the returned function once to give it back. */
  async acquire(): Promise<() => void> {
    if (this.#used < this.#max && this.#waiting.length === 0) this.#used++
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)) // the slot is handed over by release
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.#waiting.shift()
      if (next) next()
      else this.#used--
    }
  }

  get waiting(): number {
    return this.#waiting.length
  }
}
