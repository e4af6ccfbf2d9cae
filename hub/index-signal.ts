// Tells browsers that a tenant's findings index changed, and for which agents: the hub's
// awareness state in the `<tenant>/agents` room of /sync (`{ index: { version, agents } }`).
// Pages refetch when it moves instead of following every agent's findings doc (a doc of
// 100,000 findings is 32 MB to sync, only to learn when to refetch), and they hear of a
// change once the index holds it, so the refetch already sees it.

/** At most this often a new state goes out; changes in between are merged. */
export const SIGNAL_MS = 40
/** Beyond this many agents in one state, `agents` is null: every agent's views refetch. */
export const SIGNAL_AGENTS = 64

export interface IndexState { index: { version: number, agents: string[] | null } }

export class IndexSignal {
  #version = 0
  #agents: string[] | null = []
  #pending: Set<string> | null | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #last = 0
  readonly #listeners = new Set<(s: IndexState) => void>()

  /** The index committed rows of these agents. */
  changed(agents: Iterable<string>): void {
    if (this.#pending !== null) {
      this.#pending ??= new Set()
      for (const a of agents) this.#pending.add(a)
      if (this.#pending.size > SIGNAL_AGENTS) this.#pending = null
    }
    if (this.#timer) return
    const wait = Math.max(0, this.#last + SIGNAL_MS - Date.now())
    this.#timer = setTimeout(() => this.#publish(), wait)
    this.#timer.unref?.()
  }

  #publish(): void {
    this.#timer = undefined
    this.#last = Date.now()
    this.#version++
    this.#agents = this.#pending === null ? null : [...(this.#pending ?? [])]
    this.#pending = undefined
    const s = this.state()
    for (const fn of this.#listeners) fn(s)
  }

  state(): IndexState {
    return { index: { version: this.#version, agents: this.#agents } }
  }

  subscribe(fn: (s: IndexState) => void): () => void {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  close(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#listeners.clear()
  }
}
