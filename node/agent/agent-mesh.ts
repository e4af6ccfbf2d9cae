// The agent on the mesh: its certificate (the trust anchor is the tenant root that issued
// it), its replica over the agent store, and a libp2p peer that keeps sessions with the hub
// and any peers it was given; a relay also listens and keeps other agents' envelopes.
import { join } from 'node:path'
import type { AgentIdentity, Certificate } from '../../keys/index.ts'
import type { AgentMeshOptions } from './agent-cert.ts'
import { AdvisoryFeed, MeshPeer, Replica, peerPrivateKey, updateRecords, writeBundle } from '../../mesh/index.ts'
import { openEnvelope, type Store } from '../../crdt/index.ts'
import type { AgentStore } from './agent-store.ts'


export interface AgentMesh {
  readonly replica: Replica
  readonly feed: AdvisoryFeed
  readonly peer: MeshPeer
  /** The agent wrote envelopes: hand them on. */
  changed(docs: string[]): void
  stop(): Promise<void>
}


/** The agent's replica of its tenant, over its store (holding its own certificate, for bundles and relays). */
export async function openAgentReplica(store: AgentStore, identity: AgentIdentity, cert: Certificate, opts: { relay?: boolean, relayCapBytes?: number, feed?: AdvisoryFeed } = {}): Promise<Replica> {
  const replica = await Replica.open({
    tenant: cert.body.tenant, rootPublicKey: cert.body.issuer, self: identity.peerId, role: opts.relay ? 'relay' : 'agent', log: store.log,
    meta: store.db.sublevel<string, Uint8Array>('mesh', { valueEncoding: 'view' }) as unknown as Store,
    relayCapBytes: opts.relayCapBytes, feed: opts.feed,
  })
  await replica.learnCertificate(cert.bytes)
  return replica
}


export async function startAgentMesh(store: AgentStore, identity: AgentIdentity, cert: Certificate, opts: AgentMeshOptions, log: (line: string) => void): Promise<AgentMesh> {
  if (opts.relay && !cert.body.roles.includes('relay')) throw new Error(`--relay: the certificate does not grant the relay role (zt keys sign-agent … --roles agent,relay)`)
  const role = opts.relay ? 'relay' : 'agent'
  const tenant = cert.body.tenant
  const feed = await AdvisoryFeed.open(store.db.sublevel<string, Uint8Array>('feed', { valueEncoding: 'view' }) as unknown as Store)
  const replica = await openAgentReplica(store, identity, cert, { ...opts, feed })
  const peer = new MeshPeer({
    privateKey: peerPrivateKey(identity), role, listen: opts.listen ?? [],
    replicaOf: (t) => (t === tenant ? replica : undefined),
    certificatesFor: (t) => (t === tenant ? [cert.bytes] : []),
    tenants: () => [tenant],
    log: (line) => log(`mesh: ${line}`),
    onSession: (s, event, code) => log(`mesh: ${event === 'open' ? 'connected to' : 'disconnected from'} ${s.grant?.role ?? 'peer'} ${s.remotePeer}${code ? ` (${code})` : ''}`),
  })
  await peer.start()
  for (const addr of peer.multiaddrs()) log(`listening on ${addr}`)
  if (opts.hub) peer.connect(opts.hub)
  for (const p of opts.peers ?? []) peer.connect(p)
  return {
    replica, peer, feed,
    changed(docs) { for (const d of docs) replica.changed(d, identity.peerId) },
    stop: () => peer.stop(),
  }
}

const appliedKey = (hub: string) => `feed-applied!${hub}`

/**
 * Imports the advisory updates not yet applied into the agent's advisory DB (each update's
 * OSV lines through the same importer as `zt db import`), remembering how far it got per hub.
 * The caller holds the DB for no one else meanwhile (scans are paused). Returns records read.
 */
export async function applyAdvisoryUpdates(feed: AdvisoryFeed, store: AgentStore, dbDir: string, log: (line: string) => void): Promise<number> {
  const pending: [string, number, number][] = []
  for (const [hub, head] of Object.entries(feed.heads())) {
    const applied = (await store.getMeta<number>(appliedKey(hub))) ?? 0
    if (head > applied) pending.push([hub, applied, head])
  }
  if (pending.length === 0) return 0
  const { openAdvisoryDb } = await import('../../advisories/index.ts')
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises')
  const { tmpdir } = await import('node:os')
  const db = await openAdvisoryDb(dbDir)
  const dir = await mkdtemp(join(tmpdir(), 'zt-advisories-'))
  let records = 0
  try {
    for (const [hub, applied, head] of pending) {
      for await (const bytes of feed.read(hub, applied + 1, head)) {
        const env = openEnvelope(bytes)
        const file = join(dir, `update-${env.seq}.jsonl`)
        await writeFile(file, updateRecords(env))
        const stats = await db.import(file)
        records += stats.added + stats.updated + stats.unchanged + stats.withdrawn
        await rm(file)
        await store.putMeta(appliedKey(hub), env.seq)
        log(`advisories: update ${env.seq} from hub ${hub.slice(-8)}: ${stats.added} added, ${stats.updated} updated, ${stats.invalid} invalid`)
      }
    }
  } finally {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  }
  return records
}

/** Writes the agent's bundle (everything, or what the hub has not acked) to `out`. */
export async function exportBundle(replica: Replica, out: string, sinceAck: boolean): Promise<{ bytes: number, frames: number }> {
  const { open } = await import('node:fs/promises')
  const tmp = `${out}.tmp`
  const fh = await open(tmp, 'w', 0o600)
  let bytes = 0
  let frames = 0
  try {
    for await (const frame of writeBundle(replica, { sinceAck })) {
      await fh.write(frame)
      bytes += frame.length
      frames++
    }
    await fh.sync()
  } finally {
    await fh.close()
  }
  const { rename } = await import('node:fs/promises')
  await rename(tmp, out)
  return { bytes, frames: frames - 1 }
}
