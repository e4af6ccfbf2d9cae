// Real mesh peers for tests: tenant roots held in memory, agent and hub keys as libp2p
// makes them, each peer with its own LevelDB directory, listening on a loopback port.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import * as Y from 'yjs'
import { generateSeed, issueCertificate, publicKeyOf, sign, createRevocationList, type Certificate, type RevocationList, type Role, type TenantRoot } from '../keys/index.ts'
import { EnvelopeLog, findingsDoc, FINDINGS, type Author, type Store } from '../crdt/index.ts'
import type { PeerRole } from '../protocol/index.ts'
import { HUB_CONNECTIONS, MeshPeer } from './peer.ts'
import { Replica } from './replica.ts'
import { AdvisoryFeed } from './advisory-feed.ts'

export function tenantRoot(tenant: string): TenantRoot {
  const seed = generateSeed()
  return { tenant, publicKey: publicKeyOf(seed), sign: (bytes) => sign(seed, bytes) }
}

export function certify(root: TenantRoot, subject: string, roles: Role[], opts: { serial?: number, notBefore?: number, notAfter?: number } = {}): Certificate {
  const now = Date.now()
  return issueCertificate(root, { subject, name: `peer-${subject.slice(-6)}`, roles, serial: opts.serial ?? Math.floor(Math.random() * 1e9), notBefore: opts.notBefore ?? now - 1000, notAfter: opts.notAfter ?? now + 86_400_000 })
}

export function revoke(root: TenantRoot, previous: RevocationList | undefined, cert: Certificate): RevocationList {
  return createRevocationList(root, previous, [{ serial: cert.body.serial, subject: cert.body.subject, revokedAt: Date.now(), reason: 'test' }])
}

export interface TestPeer {
  peer: MeshPeer
  replica: Replica
  author: Author
  key: PrivateKey
  cert: Certificate
  db: ClassicLevel<string, Uint8Array>
  dir: string
  close(): Promise<void>
  /** Stops its libp2p node (its store stays open): the peer is gone from the mesh. */
  goOffline(): Promise<void>
  /** A new libp2p node with the same key and store; dials `targets` again. */
  comeBack(targets: string[]): Promise<void>
  /** Writes `n` findings (ids from `from`) as the peer's own envelopes and tells the sessions. */
  write(n: number, from?: number): Promise<void>
  findings(agent: string): Promise<number>
}

export interface PeerOptions {
  role: PeerRole
  /** Roles in its certificate (default [role]). */
  certRoles?: Role[]
  /** A certificate made some other way (wrong tenant, expired…). */
  cert?: (subject: string) => Certificate
  listen?: boolean
  relayCapBytes?: number
  /** Keep (or, for a hub, publish) the advisory feed. */
  feed?: boolean
  keepAliveMs?: number
  windowBytes?: number
}

export async function startPeer(root: TenantRoot, opts: PeerOptions): Promise<TestPeer> {
  const dir = await mkdtemp(join(tmpdir(), 'zt-mesh-'))
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key).toString()
  const author: Author = { peerId, seed: key.raw.subarray(0, 32) }
  const cert = opts.cert?.(peerId) ?? certify(root, peerId, opts.certRoles ?? [opts.role])
  const db = new ClassicLevel<string, Uint8Array>(join(dir, 'store'), { valueEncoding: 'view' })
  await db.open()
  const log = new EnvelopeLog(db.sublevel<string, Uint8Array>('log', { valueEncoding: 'view' }) as unknown as Store)
  const feed = opts.feed ? await AdvisoryFeed.open(db.sublevel<string, Uint8Array>('feed', { valueEncoding: 'view' }) as unknown as Store) : undefined
  const replica = await Replica.open({
    tenant: root.tenant, rootPublicKey: root.publicKey, self: peerId, role: opts.role, log,
    meta: db.sublevel<string, Uint8Array>('mesh', { valueEncoding: 'view' }) as unknown as Store,
    relayCapBytes: opts.relayCapBytes, feed,
  })
  feed?.onUpdate((env) => { if (env.author === peerId) replica.changed(env.doc, env.author) })
  const makePeer = (listen: string[]) => new MeshPeer({
    privateKey: key, role: opts.role, listen,
    replicaOf: (t) => (t === root.tenant ? replica : undefined),
    certificatesFor: (t) => (t === root.tenant ? [cert.bytes] : []),
    tenants: () => [root.tenant], keepAliveMs: opts.keepAliveMs, windowBytes: opts.windowBytes,
    // A hub serves many agents, here all from loopback.
    connections: opts.role === 'hub' ? HUB_CONNECTIONS : undefined,
  })
  const peer = makePeer(opts.listen ? ['/ip4/127.0.0.1/tcp/0'] : [])
  await peer.start()
  let closed = false
  let online = true
  let listened: string[] = []
  const self: TestPeer = {
    peer, replica, author, key, cert, db, dir,
    async goOffline() {
      if (!online) return
      online = false
      listened = self.peer.multiaddrs()
      await self.peer.stop()
    },
    async comeBack(targets) {
      if (online) return
      // The same listen address, so those who dial it find it again.
      const listen = listened.map((a) => a.slice(0, a.indexOf('/p2p/')))
      self.peer = makePeer(listen)
      await self.peer.start()
      online = true
      for (const t of targets) self.peer.connect(t)
    },
    async close() {
      if (closed) return
      closed = true
      if (online) await self.peer.stop()
      await db.close()
      await rm(dir, { recursive: true, force: true })
    },
    async write(n, from = 0) {
      const doc = findingsDoc(peerId)
      await log.writeAs(doc, author, () => [(d: Y.Doc) => {
        const m = d.getMap(FINDINGS)
        for (let i = from; i < from + n; i++) m.set(`f${String(i).padStart(8, '0')}`, { id: `f${i}`, kind: 'vuln', rule: `GHSA-${i}`, severity: 'high', path: 'package-lock.json', firstSeen: 1 })
      }], { rights: { hubs: new Set() } }, Date.now())
      replica.changed(doc, peerId)
    },
    async findings(agent) {
      const d = await log.doc(findingsDoc(agent))
      return d ? d.getMap(FINDINGS).size : 0
    },
  }
  return self
}

/** Polls until `fn` holds (or fails the test after `ms`). */
export async function eventually(fn: () => Promise<boolean> | boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
