// What a scan learned from each file, keyed by its absolute path, so a file whose size,
// mtime (or, failing those, content hash) is unchanged is never parsed again.
import { ClassicLevel } from 'classic-level'
import { pack, unpack } from '../../protocol/index.ts'
import type { SecretHit } from './file-result.ts'

/** One file's parse outcome, as cached. */
export interface CachedFile {
  size: number
  mtimeMs: number
  /** SHA-256 of the content, hex. */
  hash: string
  /** Packed packages (node/scan/package-codec.ts), stored as the parser produced them. */
  packages: Uint8Array
  count: number
  keys: string
  secrets: SecretHit[]
  /** The parser's error, for a broken lockfile (kept so a rescan reports it again). */
  error?: string
}

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

  /** Writes in batches of a few hundred, so a big scan never holds one huge batch. */
  async putMany(entries: [path: string, file: CachedFile][]): Promise<void> {
    for (let i = 0; i < entries.length; i += 256) {
      await this.#db.batch(entries.slice(i, i + 256).map(([path, file]) => ({ type: 'put' as const, key: 'f!' + path, value: pack(file) })))
    }
  }

  /** Drops entries for files under these roots that the walk no longer found. */
  async prune(roots: string[], seen: Set<string>): Promise<number> {
    const stale: string[] = []
    for (const root of roots) {
      const prefix = 'f!' + root
      for await (const key of this.#db.keys({ gte: prefix, lt: prefix + '\uffff' })) {
        if (!seen.has(key.slice(2))) stale.push(key)
      }
    }
    if (stale.length > 0) await this.#db.batch(stale.map((key) => ({ type: 'del' as const, key })))
    return stale.length
  }

  async close(): Promise<void> {
    await this.#db.close()
  }
}
