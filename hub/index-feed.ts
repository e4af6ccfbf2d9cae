// What the findings index still has to take in, as keys per doc: the values are read from
// the log's doc when their turn comes, one doc at a time. Queuing the values themselves held
// every waiting doc's findings in memory (a hub taking 200 agents at once grew past 1 GB);
// keys coalesce too, so a finding changed twice before its turn is indexed once.
import type * as Y from 'yjs'
import type { FindingsIndex } from './index/findings-index.ts'

export class IndexFeed {
  readonly #pending = new Map<string, Set<string>>()
  readonly #docOf: (name: string) => Promise<Y.Doc | undefined>
  readonly #index: FindingsIndex
  readonly #onError: (doc: string, err: Error) => void
  #running: Promise<void> | undefined
  #backlog = 0

  constructor(index: FindingsIndex, docOf: (name: string) => Promise<Y.Doc | undefined>, onError: (doc: string, err: Error) => void) {
    this.#index = index
    this.#docOf = docOf
    this.#onError = onError
  }

  /** Keys of a findings doc that changed. */
  add(doc: string, keys: Iterable<string>): void {
    let set = this.#pending.get(doc)
    if (!set) this.#pending.set(doc, set = new Set())
    const before = set.size
    for (const k of keys) set.add(k)
    this.#backlog += set.size - before
    this.#running ??= this.#drain().finally(() => { this.#running = undefined })
  }

  /** Keys waiting to be indexed. */
  get backlog(): number {
    return this.#backlog
  }

  /** Resolves once everything added so far is indexed. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running
    await this.#index.idle()
  }

  async #drain(): Promise<void> {
    for (let next = this.#pending.entries().next(); !next.done; next = this.#pending.entries().next()) {
      const [doc, keys] = next.value
      this.#pending.delete(doc)
      this.#backlog -= keys.size
      try {
        const ydoc = await this.#docOf(doc)
        if (ydoc) await this.#index.update(doc, ydoc, keys)
      } catch (err) {
        this.#onError(doc, err as Error)
      }
    }
  }
}
