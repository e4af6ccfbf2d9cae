// What a scan learned from each file, keyed by its absolute path, so a file whose size and
// mtime are unchanged is never read or parsed again, and its vulnerability findings are
// reused while the advisory DB is unchanged.
//   f!<path> → msgpack CachedFile (small: what a rescan reads)
//   p!<path> → the file's packed packages (read only when the inventory is wanted)
import { ClassicLevel } from 'classic-level'
import { pack, unpack } from '../../protocol/index.ts'
import type { Finding } from '../../crdt/index.ts'
import type { FileResult } from './file-result.ts'

/** Findings of a file's packages, valid for one advisory DB generation and one agent. */
export interface CachedVulns { generation: string, agent: string, findings: Finding[] }

/** A file's result as cached: all of it but its paths and its packages (kept apart). */
export type CachedFile = Omit<FileResult, 'abs' | 'rel' | 'packages'>

const BATCH = 256

export class ScanCache {
  readonly #db: ClassicLevel<string, Uint8Array>

  private constructor(db: ClassicLevel<string, Uint8Array>) {
    this.#db = db
  }

  /** Opens (creating) the cache in dir; fails when another process holds it. */
  static async open(dir: string): Promise<ScanCache> {
    const db = new ClassicLevel<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    await db.open()
    return new ScanCache(db)
  }

  /** The cached entries of these paths (undefined where none, or unreadable). */
  async getMany(paths: string[]): Promise<(CachedFile | undefined)[]> {
    if (paths.length === 0) return []
    const values = await this.#db.getMany(paths.map((p) => 'f!' + p))
    return values.map((v) => {
      if (v === undefined) return undefined
      try { return unpack(v) as CachedFile } catch { return undefined }
    })
  }

  /** The packed packages of these paths (empty where none). */
  async packagesOf(paths: string[]): Promise<Uint8Array[]> {
    if (paths.length === 0) return []
    return (await this.#db.getMany(paths.map((p) => 'p!' + p))).map((v) => v ?? new Uint8Array(0))
  }

  /**
   * Writes entries in batches of a few hundred. `packages` replaces the file's cached
   * packages; `undefined` drops them (they would describe an older version of the file),
   * and leaving the field out keeps them (the file itself did not change).
   */
  async putMany(entries: { path: string, file: CachedFile, packages?: Uint8Array | undefined }[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      const ops: ({ type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string })[] = []
      for (const entry of entries.slice(i, i + BATCH)) {
        ops.push({ type: 'put', key: 'f!' + entry.path, value: pack(entry.file) })
        if (!('packages' in entry)) continue
        if (entry.packages) ops.push({ type: 'put', key: 'p!' + entry.path, value: entry.packages })
        else ops.push({ type: 'del', key: 'p!' + entry.path })
      }
      await this.#db.batch(ops)
    }
  }

  /** Drops entries for files under these roots that the walk no longer found. */
  async prune(roots: string[], seen: Set<string>): Promise<number> {
    const stale: string[] = []
    for (const root of roots) {
      // The root's own subtree only: `/srv/app` must not reach into `/srv/app2`.
      const prefix = 'f!' + (root.endsWith('/') ? root : root + '/')
      for await (const key of this.#db.keys({ gte: prefix, lt: prefix + '\uffff' })) {
        if (!seen.has(key.slice(2))) stale.push(key.slice(2))
      }
    }
    for (let i = 0; i < stale.length; i += BATCH) {
      await this.#db.batch(stale.slice(i, i + BATCH).flatMap((p) => [{ type: 'del' as const, key: 'f!' + p }, { type: 'del' as const, key: 'p!' + p }]))
    }
    return stale.length
  }

  async close(): Promise<void> {
    await this.#db.close()
  }
}
