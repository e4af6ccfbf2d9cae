// The hub writes its tenant docs (`<tenant>/triage`, `<tenant>/agents`, `<tenant>/enrich`) as their single
// writer, signed with the hub key, through the same envelope log as everything it receives;
// each new envelope is published to live views and sessions. Agent status changes (sessions
// opening and closing, scans) are gathered for STATUS_MS and written as one envelope: a hub
// taking 200 agents at once writes a few status envelopes, not 400.
import type * as Y from 'yjs'
import { openEnvelope, tenantDoc, updateAgentStatus, type AgentStatusEntry, type Author } from '../crdt/index.ts'
import type { Replica } from '../mesh/index.ts'

/** How long status changes gather before they are written. */
export const STATUS_MS = 50

type StatusPatch = AgentStatusEntry | (() => AgentStatusEntry)

export class TenantWriter {
  readonly #replica: Replica
  readonly #author: Author
  readonly #hubs: ReadonlySet<string>
  readonly #pending = new Set<Promise<void>>()
  #status = new Map<string, StatusPatch[]>()
  #statusTimer: ReturnType<typeof setTimeout> | undefined
  readonly #onError: (err: Error) => void

  constructor(replica: Replica, author: Author, onError: (err: Error) => void = () => {}) {
    this.#replica = replica
    this.#author = author
    this.#hubs = new Set([author.peerId])
    this.#onError = onError
  }

  /**
   * Changes an agent's entry in `<tenant>/agents` soon (within STATUS_MS), with other changes
   * made meanwhile; a function patch is read when the write happens (the state then).
   */
  updateStatus(agent: string, patch: StatusPatch): void {
    const list = this.#status.get(agent)
    if (list) list.push(patch)
    else this.#status.set(agent, [patch])
    this.#statusTimer ??= setTimeout(() => this.#flushStatus(), STATUS_MS)
  }

  #flushStatus(): void {
    clearTimeout(this.#statusTimer)
    this.#statusTimer = undefined
    if (this.#status.size === 0) return
    const batch = this.#status
    this.#status = new Map()
    this.write('agents', (d) => {
      for (const [agent, patches] of batch) for (const p of patches) updateAgentStatus(d, agent, typeof p === 'function' ? p() : p)
    }).catch((err: Error) => this.#onError(err))
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
    this.#flushStatus()
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
