// A thread's match keys (package-codec.ts matchKey), numbered as the thread first meets them.
// A parse worker hands each file's keys to the main thread as these numbers, with the keys it
// had not numbered before: the main thread then finds a file's packages by index in what that
// worker sent so far, instead of cutting and hashing a million key strings per big scan.
import type { Package } from '../../protocol/index.ts'
import { matchKey } from './package-codec.ts'

export class KeyNumbering {
  readonly #ids = new Map<string, number>()
  /** For each number, the last file (by serial) it was listed for: a file lists a key once. */
  readonly #listedIn: number[] = []
  #file = 0
  #fresh: string[] = []

  /**
   * A file's distinct match keys in first-seen order, joined by '\n' (what the scan cache
   * keeps), and their numbers in the same order; keys met for the first time are numbered.
   */
  keysOf(list: Package[]): { keys: string, ids: Uint32Array } {
    const file = ++this.#file
    const keys: string[] = []
    const ids: number[] = []
    for (const p of list) {
      const key = matchKey(p)
      let id = this.#ids.get(key)
      if (id === undefined) {
        id = this.#ids.size
        this.#ids.set(key, id)
        this.#fresh.push(key)
        this.#listedIn.push(0)
      }
      if (this.#listedIn[id] === file) continue
      this.#listedIn[id] = file
      keys.push(key)
      ids.push(id)
    }
    return { keys: keys.join('\n'), ids: Uint32Array.from(ids) }
  }

  /** The keys numbered since the last call, in number order (the receiver appends them to its table). */
  takeFresh(): string[] {
    const fresh = this.#fresh
    this.#fresh = []
    return fresh
  }
}
