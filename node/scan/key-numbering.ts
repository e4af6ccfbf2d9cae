// A thread's match keys (package-codec.ts matchKey), numbered as the thread first meets them.
// A parse worker hands each file's keys to the main thread as these numbers, with the keys it
// had not numbered before: the main thread then finds a file's packages by index in what that
// worker sent so far, instead of cutting and hashing a million key strings per big scan.
import type { Package } from '../../protocol/index.ts'
import { matchKey } from './package-codec.ts'

export class KeyNumbering {
  /** Packages with no source fields, by ecosystem, name and version: no key string is built to find one. */
  readonly #plain = new Map<string, Map<string, Map<string, number>>>()
  /** The others (OS packages naming their source package), by key. */
  readonly #sourced = new Map<string, number>()
  /** Each number's key. */
  readonly #keys: string[] = []
  /** For each number, the last file (by serial) it was listed for: a file lists a key once. */
  readonly #listedIn: number[] = []
  #file = 0
  /** How many keys `takeFresh` has handed out. */
  #sent = 0

  /**
   * A file's distinct match keys in first-seen order, joined by '\n' (what the scan cache
   * keeps), and their numbers in the same order; keys met for the first time are numbered.
   */
  keysOf(list: Package[]): { keys: string, ids: Uint32Array } {
    const file = ++this.#file
    const keys: string[] = []
    const ids: number[] = []
    for (const p of list) {
      const id = this.#idOf(p)
      if (this.#listedIn[id] === file) continue
      this.#listedIn[id] = file
      keys.push(this.#keys[id]!)
      ids.push(id)
    }
    return { keys: keys.join('\n'), ids: Uint32Array.from(ids) }
  }

  /** The keys numbered since the last call, in number order (the receiver appends them to its table). */
  takeFresh(): string[] {
    const fresh = this.#keys.slice(this.#sent)
    this.#sent = this.#keys.length
    return fresh
  }

  #idOf(p: Package): number {
    if (p.sourceName !== undefined || p.sourceVersion !== undefined) {
      const key = matchKey(p)
      let id = this.#sourced.get(key)
      if (id === undefined) this.#sourced.set(key, (id = this.#number(key)))
      return id
    }
    let names = this.#plain.get(p.ecosystem)
    if (!names) this.#plain.set(p.ecosystem, (names = new Map()))
    let versions = names.get(p.name)
    if (!versions) names.set(p.name, (versions = new Map()))
    let id = versions.get(p.version)
    if (id === undefined) versions.set(p.version, (id = this.#number(matchKey(p))))
    return id
  }

  #number(key: string): number {
    this.#keys.push(key)
    this.#listedIn.push(0)
    return this.#keys.length - 1
  }
}
