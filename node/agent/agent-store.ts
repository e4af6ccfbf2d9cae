// An agent's data dir: its key, its LevelDB store (envelope log + metadata), the scan cache,
// the advisory DB. LevelDB allows one process per store: the running agent, or a command
// when the agent is stopped.
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { EnvelopeLog, type Store } from '../../crdt/index.ts'
import { pack, unpack } from '../../protocol/index.ts'

export const STORE_DIR = 'store'
export const CACHE_DIR = 'scan-cache'
export const SOCKET_FILE = 'agent.sock'
export const INSTALLATION_KEY_FILE = 'installation.key'
/** The agent's certificate, armored, when it has one. */
export const CERT_FILE = 'agent.cert'

/**
 * LevelDB's block cache holds recently read blocks. The log reads by range (a doc's tail, a
 * peer's missing envelopes) and point-reads heads and checkpoints: little that a cache
 * would serve twice, so 2 MiB instead of the default 8 (idle memory).
 */
const CACHE_BYTES = 2 * 1024 * 1024
/**
 * LevelDB's write buffer, the memtable that takes writes before they go to a table file:
 * 64 MiB, where its default is 4. A scan's 100,000 findings are ~28 MB of envelopes: in 4 MiB
 * memtables LevelDB flushed ~7 of them to tables during the write, on a thread of its own that
 * took the second core from the writer's (bench:store's write ~113–119 → ~99–105 ms, its CPU
 * ~180 → ~150 ms). The memtable is flushed once the agent goes idle, with its docs released
 * (`flush`), and on close: an idle agent holds none of it, and a restart replays no long log.
 */
const WRITE_BUFFER = 64 * 1024 * 1024
/** A key after every key of the store (its sublevels' keys start with '!'): a compaction of nothing but the memtable. */
const PAST_EVERY_KEY = '\uffff'

export interface LastScan { at: number, durationMs: number, packages: number, findings: number, open: number, errors: number, appendedBytes: number }

export class AgentStore {
  readonly db: ClassicLevel<string, Uint8Array>
  readonly log: EnvelopeLog
  readonly #meta

  private constructor(db: ClassicLevel<string, Uint8Array>) {
    this.db = db
    // classic-level copies a batch's values into LevelDB's own batch as it is given them.
    this.log = new EnvelopeLog(db.sublevel<string, Uint8Array>('log', { valueEncoding: 'view' }) as unknown as Store, { storeCopies: true })
    this.#meta = db.sublevel<string, Uint8Array>('meta', { valueEncoding: 'view' })
  }

  /**
   * Opens the store; while another process briefly holds it (a `zt agent status` reading a
   * stopped agent's store as this one starts), waits up to `waitMs` for it.
   */
  static async open(dataDir: string, opts: { waitMs?: number } = {}): Promise<AgentStore> {
    const deadline = Date.now() + (opts.waitMs ?? 0)
    for (;;) {
      const db = new ClassicLevel<string, Uint8Array>(join(dataDir, STORE_DIR), { keyEncoding: 'utf8', valueEncoding: 'view', cacheSize: CACHE_BYTES, writeBufferSize: WRITE_BUFFER })
      try {
        await db.open()
        return new AgentStore(db)
      } catch (err) {
        const locked = /lock/i.test(String((err as { cause?: unknown }).cause ?? ''))
        if (!locked || Date.now() >= deadline) throw err
        await new Promise((r) => setTimeout(r, 100))
      }
    }
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    const v = await this.#meta.get(key)
    return v === undefined ? undefined : (unpack(v) as T)
  }

  async putMeta(key: string, value: unknown): Promise<void> {
    await this.#meta.put(key, pack(value))
  }

  /** Writes LevelDB's memtable out to a table (and so frees it): what the store takes in while the agent works, it keeps in memory and in its log until then. */
  async flush(): Promise<void> {
    await this.db.compactRange(PAST_EVERY_KEY, PAST_EVERY_KEY)
  }

  async close(): Promise<void> {
    await this.log.checkpointAll()
    await this.flush()
    await this.db.close()
  }
}
