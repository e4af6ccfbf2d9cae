// The hub's data dir: one LevelDB with a sublevel per tenant (its envelope log, the mesh's
// certificates/revocation list, and agent status), and which tenant each agent key belongs
// to. LevelDB allows one process per store: the running hub, or `zt hub import` when stopped.
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { EnvelopeLog, type EnvelopeError, type Store } from '../crdt/index.ts'
import { MeshError } from '../mesh/index.ts'
import { pack, unpack, type Envelope } from '../protocol/index.ts'

export const HUB_STORE_DIR = 'store'
const WRITE_BUFFER = 32 * 1024 * 1024

export interface TenantStore { tenant: string, log: EnvelopeLog, meta: Store, agents: Store, index: Store, hooks: Store }

export interface AgentSeen { lastSeen: number, address?: string }

export interface HubStoreOptions {
  /** Told of an envelope stored, acked, then found not to apply, and taken out again (crdt/apply-behind.ts). */
  onApplyFailed?: (tenant: string, env: Envelope, err: EnvelopeError) => void
}

export class HubStore {
  readonly db: ClassicLevel<string, Uint8Array>
  readonly #tenants = new Map<string, TenantStore>()
  readonly #owners = new Map<string, string>()
  readonly #ownerLevel: Store
  /** The advisory feed the hub publishes (one for all tenants). */
  readonly feed: Store

  readonly #opts: HubStoreOptions

  private constructor(db: ClassicLevel<string, Uint8Array>, opts: HubStoreOptions) {
    this.db = db
    this.#opts = opts
    this.#ownerLevel = db.sublevel<string, Uint8Array>('owner', { valueEncoding: 'view' }) as unknown as Store
    this.feed = db.sublevel<string, Uint8Array>('feed', { valueEncoding: 'view' }) as unknown as Store
  }

  static async open(dataDir: string, opts: HubStoreOptions = {}): Promise<HubStore> {
    // A 32 MB write buffer (LevelDB's default is 4 MB): the findings index writes ~10 small keys
    // per finding, and fewer, larger level-0 tables cut compaction's CPU by about a third.
    const db = new ClassicLevel<string, Uint8Array>(join(dataDir, HUB_STORE_DIR), { keyEncoding: 'utf8', valueEncoding: 'view', writeBufferSize: WRITE_BUFFER })
    try {
      await db.open()
    } catch (err) {
      if (/lock/i.test(String((err as { cause?: unknown }).cause ?? ''))) throw new Error(`the hub store in ${dataDir} is in use by another process (a running hub?)`, { cause: err })
      throw err
    }
    const s = new HubStore(db, opts)
    for await (const [peer, tenant] of s.#ownerLevel.iterator()) s.#owners.set(peer, new TextDecoder().decode(tenant))
    return s
  }

  tenant(tenant: string): TenantStore {
    let t = this.#tenants.get(tenant)
    if (!t) {
      const level = this.db.sublevel<string, Uint8Array>(`t-${tenant}`, { valueEncoding: 'view' })
      t = {
        tenant,
        // Docs are materialized only while envelopes arrive or a view reads them: a few at a time.
        // An envelope is acked once verified and stored; applying it to its doc (for the index
        // and live views) comes behind, while nothing else waits (crdt/apply-behind.ts).
        log: new EnvelopeLog(level.sublevel<string, Uint8Array>('log', { valueEncoding: 'view' }) as unknown as Store, {
          maxOpenDocs: 16, applyBehind: true, onApplyFailed: (env, err) => this.#opts.onApplyFailed?.(tenant, env, err),
        }),
        meta: level.sublevel<string, Uint8Array>('mesh', { valueEncoding: 'view' }) as unknown as Store,
        agents: level.sublevel<string, Uint8Array>('agents', { valueEncoding: 'view' }) as unknown as Store,
        index: level.sublevel<string, Uint8Array>('index', { valueEncoding: 'view' }) as unknown as Store,
        hooks: level.sublevel<string, Uint8Array>('hooks', { valueEncoding: 'view' }) as unknown as Store,
      }
      this.#tenants.set(tenant, t)
    }
    return t
  }

  /** DESIGN.md: an agent key belongs to one tenant only. Throws `tenant-conflict` otherwise. */
  claim(peer: string, tenant: string): void {
    const held = this.#owners.get(peer)
    if (held === tenant) return
    if (held !== undefined) throw new MeshError('tenant-conflict', `${peer} belongs to another tenant`)
    this.#owners.set(peer, tenant)
    this.#ownerLevel.put(peer, new TextEncoder().encode(tenant)).catch(() => { this.#owners.delete(peer) })
  }

  /** The tenant an agent key belongs to, once it has been seen. */
  ownerOf(peer: string): string | undefined {
    return this.#owners.get(peer)
  }

  async seen(tenant: string, peer: string, at: number): Promise<void> {
    await this.tenant(tenant).agents.put(peer, pack({ lastSeen: at } satisfies AgentSeen))
  }

  async lastSeen(tenant: string, peer: string): Promise<number | undefined> {
    const v = await this.tenant(tenant).agents.get(peer)
    return v ? (unpack(v) as AgentSeen).lastSeen : undefined
  }

  async close(): Promise<void> {
    for (const t of this.#tenants.values()) await t.log.checkpointAll()
    await this.db.close()
  }
}
