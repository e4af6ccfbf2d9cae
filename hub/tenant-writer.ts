// The hub writes its tenant docs (`<tenant>/triage`, `<tenant>/agents`, `<tenant>/enrich`) as their single
// writer, signed with the hub key, through the same envelope log as everything it receives;
// each new envelope is published to live views and sessions.
import type * as Y from 'yjs'
import { openEnvelope, tenantDoc, type Author } from '../crdt/index.ts'
import type { Replica } from '../mesh/index.ts'

export class TenantWriter {
  readonly #replica: Replica
  readonly #author: Author
  readonly #hubs: ReadonlySet<string>
  readonly #pending = new Set<Promise<void>>()

  constructor(replica: Replica, author: Author) {
    this.#replica = replica
    this.#author = author
    this.#hubs = new Set([author.peerId])
  }

  /** Runs `change` on the doc; what it changed goes out as one signed envelope. */
  write(kind: 'triage' | 'agents' | 'enrich', change: (doc: Y.Doc) => void, now = Date.now()): Promise<void> {
    const run = this.#write(kind, change, now)
    this.#pending.add(run)
    void run.finally(() => this.#pending.delete(run)).catch(() => {})
    return run
  }

  /** Resolves once every write begun so far has settled (before the store closes). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending])
  }

  async #write(kind: 'triage' | 'agents' | 'enrich', change: (doc: Y.Doc) => void, now: number): Promise<void> {
    const name = tenantDoc(this.#replica.tenant, kind)
    const log = this.#replica.log
    const before = (await log.head(name, this.#author.peerId))?.seq ?? 0
    const bytes = await log.writeAs(name, this.#author, () => [change], { rights: { hubs: this.#hubs, tenant: this.#replica.tenant } }, now)
    if (bytes === 0) return
    for await (const env of log.read(name, this.#author.peerId, before + 1)) this.#replica.published(openEnvelope(env))
  }
}
