// Real mesh peers for tests: tenant roots held in memory, agent and hub keys as libp2p
// makes them, each peer with its own LevelDB directory, listening on a loopback port.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddr } from '@multiformats/multiaddr'
import * as Y from 'yjs'
import { generateSeed, issueCertificate, publicKeyOf, sign, createRevocationList, type Certificate, type RevocationList, type Role, type TenantRoot } from '../keys/index.ts'
import { EnvelopeLog, findingsDoc, FINDINGS, type Author, type Store } from '../crdt/index.ts'
import { ACCEPTS, MAX_FRAME, PROTOCOL_VERSION, SYNC_PROTOCOL_ID, type Message, type PeerRole } from '../protocol/index.ts'
import { Channel, codeOf } from './channel.ts'
import { HUB_CONNECTIONS, HUB_RECEIVE_SLOTS, MeshPeer } from './peer.ts'
import { AdvisoryFeed } from './advisory-feed.ts'
import { Replica } from './replica.ts'

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
  /** Every tenant's replica (more than one for a peer started with `also`). */
  replicas: Map<string, Replica>
  opts: PeerOptions
  /** The loopback port it listens on, when it does. */
  port: number | undefined
  /** Stops the peer and closes its store, keeping the directory (restartPeer starts it again). */
  stop(): Promise<void>
  /** Stops it as a crash would: the store closed first, no checkpoint. */
  kill(): Promise<void>
  /** Stops it and removes its directory. */
  close(): Promise<void>
  /** Writes `n` findings (ids from `from`) as the peer's own envelopes and tells the sessions; another `version` changes them. */
  write(n: number, from?: number, version?: number): Promise<void>
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
  keepAliveMs?: number
  windowBytes?: number
  /** Reuse a LevelDB directory (a restart); else a new temp one. */
  dir?: string
  /** Reuse a key (a restart); else a new one. */
  key?: PrivateKey
  /** Listen on this loopback port (a restart keeps its address); 0 by default. */
  port?: number
  /** Keep (or, for a hub, publish) the advisory feed. */
  feed?: boolean
  /** More tenants this peer serves (a hub of several tenants), each with its own replica and certificate. */
  also?: TenantRoot[]
}

export async function startPeer(root: TenantRoot, opts: PeerOptions): Promise<TestPeer> {
  const dir = opts.dir ?? await mkdtemp(join(tmpdir(), 'zt-mesh-'))
  const key = opts.key ?? await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key).toString()
  const author: Author = { peerId, seed: key.raw.subarray(0, 32) }
  const cert = opts.cert?.(peerId) ?? certify(root, peerId, opts.certRoles ?? [opts.role])
  const db = new ClassicLevel<string, Uint8Array>(join(dir, 'store'), { valueEncoding: 'view' })
  await db.open()
  const feed = opts.feed ? await AdvisoryFeed.open(db.sublevel<string, Uint8Array>('feed', { valueEncoding: 'view' }) as unknown as Store) : undefined
  const open = async (r: TenantRoot, prefix: string) => {
    const replica = await Replica.open({
      tenant: r.tenant, rootPublicKey: r.publicKey, self: peerId, role: opts.role,
      log: new EnvelopeLog(db.sublevel<string, Uint8Array>(`${prefix}log`, { valueEncoding: 'view' }) as unknown as Store),
      meta: db.sublevel<string, Uint8Array>(`${prefix}mesh`, { valueEncoding: 'view' }) as unknown as Store,
      relayCapBytes: opts.relayCapBytes, hubs: opts.role === 'hub' ? new Set([peerId]) : undefined, feed,
    })
    feed?.onUpdate((env) => { if (env.author === peerId) replica.changed(env.doc, env.author) })
    // As the agent does (node/agent/agent-mesh.ts): its replica holds its own certificate.
    // A certificate made wrong on purpose is not learnt.
    await replica.learnCertificate(cert.bytes).catch(() => {})
    return replica
  }
  const replica = await open(root, '')
  const log = replica.log
  const replicas = new Map<string, Replica>([[root.tenant, replica]])
  const certs = new Map<string, Certificate>([[root.tenant, cert]])
  for (const r of opts.also ?? []) {
    replicas.set(r.tenant, await open(r, `${r.tenant}:`))
    certs.set(r.tenant, certify(r, peerId, opts.certRoles ?? [opts.role]))
  }
  const peer = new MeshPeer({
    privateKey: key, role: opts.role, listen: opts.listen ? [`/ip4/127.0.0.1/tcp/${opts.port ?? 0}`] : [],
    replicaOf: (t) => replicas.get(t),
    certificatesFor: (t) => { const c = certs.get(t); return c ? [c.bytes] : [] },
    tenants: () => [...replicas.keys()], keepAliveMs: opts.keepAliveMs, windowBytes: opts.windowBytes,
    // A hub serves many agents, here all from loopback.
    connections: opts.role === 'hub' ? HUB_CONNECTIONS : undefined,
    receiveSlots: opts.role === 'hub' ? HUB_RECEIVE_SLOTS : undefined,
  })
  await peer.start()
  const port = opts.listen ? Number(peer.multiaddrs()[0]!.split('/')[4]) : undefined
  let state: 'running' | 'stopped' | 'closed' = 'running'
  const stop = async (kill: boolean) => {
    if (state !== 'running') return
    state = 'stopped'
    if (kill) {
      // Like a crash: the store goes first (nothing more becomes durable, no checkpoint), the
      // network after, with no chance to finish what it was doing.
      await db.close()
      await peer.stop()
    } else {
      await peer.stop()
      for (const r of replicas.values()) await r.log.checkpointAll()
      await db.close()
    }
  }
  return {
    peer, replica, replicas, author, key, cert, db, dir, opts,
    port,
    stop: () => stop(false),
    kill: () => stop(true),
    async close() {
      if (state === 'closed') return
      await stop(false)
      state = 'closed'
      await rm(dir, { recursive: true, force: true })
    },
    async write(n, from = 0, version = 0) {
      const doc = findingsDoc(peerId)
      await log.writeAs(doc, author, () => [(d: Y.Doc) => {
        const m = d.getMap(FINDINGS)
        for (let i = from; i < from + n; i++) m.set(`f${String(i).padStart(8, '0')}`, { id: `f${i}`, kind: 'vuln', rule: `GHSA-${i}`, severity: version % 2 ? 'low' : 'high', path: 'package-lock.json', firstSeen: 1 + version })
      }], { rights: { hubs: new Set() } }, Date.now())
      replica.changed(doc, peerId)
    },
    async findings(agent) {
      const d = await log.doc(findingsDoc(agent))
      return d ? d.getMap(FINDINGS).size : 0
    },
  }
}

/** The same peer (key, certificate, LevelDB directory, listen port) started again after stop() or kill(). */
export function restartPeer(root: TenantRoot, old: TestPeer): Promise<TestPeer> {
  return startPeer(root, { ...old.opts, dir: old.dir, key: old.key, cert: () => old.cert, port: old.port })
}

/** Polls until `fn` holds (or fails the test after `ms`). */
export async function eventually(fn: () => Promise<boolean> | boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * A libp2p node (TCP + Noise + Yamux, as mesh/peer.ts makes it) with no session logic: the
 * test speaks the protocol itself over a Channel, to play a peer that misbehaves.
 */
export interface RawPeer {
  node: Libp2p
  peerId: string
  key: PrivateKey
  /** Author of envelopes signed with this peer's key. */
  author: Author
  /** A new sync stream to `addr` (a full multiaddr). */
  open(addr: string): Promise<Channel>
  stop(): Promise<void>
}

export async function rawPeer(key?: PrivateKey): Promise<RawPeer> {
  const privateKey = key ?? await generateKeyPair('Ed25519')
  const node = await createLibp2p({ privateKey, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  const peerId = node.peerId.toString()
  return {
    node, peerId, key: privateKey, author: { peerId, seed: privateKey.raw.subarray(0, 32) },
    async open(addr) {
      // libp2p refuses more than 5 new inbound connections a second from one host (its
      // inboundConnectionThreshold), and every test peer is on 127.0.0.1: dial again then.
      for (let attempt = 0; ; attempt++) {
        try {
          const stream = await node.dialProtocol(multiaddr(addr), SYNC_PROTOCOL_ID, { signal: AbortSignal.timeout(5000) })
          return new Channel(stream, { maxQueuedBytes: 64 * 1024 * 1024 + 2 * MAX_FRAME })
        } catch (err) {
          if (attempt >= 10 || !/ECONNRESET|EPIPE/.test((err as Error).message)) throw err
          await new Promise((r) => setTimeout(r, 250))
        }
      }
    },
    async stop() { await node.stop() },
  }
}

/** A hello as a well-behaved peer sends it. */
export function helloOf(role: PeerRole, tenants: string[], certificates: Uint8Array[], crlVersion = 0): Message {
  return { type: 'hello', protocol: PROTOCOL_VERSION, accepts: ACCEPTS, role, tenants, certificates, revocationLists: tenants.map((tenant) => ({ tenant, version: crlVersion })) }
}

export interface Drained {
  messages: Message[]
  /** How reading stopped: the peer closed ('ended'), an error's code, or 'timeout' (still open). */
  end: string
}

/** Everything the other side sends until it closes (or `ms` pass, or `until` holds for what came so far). */
export async function drain(ch: Channel, ms = 3000, until?: (messages: Message[]) => boolean): Promise<Drained> {
  const messages: Message[] = []
  const signal = AbortSignal.timeout(ms)
  for (;;) {
    if (until?.(messages)) return { messages, end: 'until' }
    let m: Message | undefined
    try {
      m = await ch.next(signal)
    } catch (err) {
      if ((err as Error).name === 'TimeoutError' || signal.aborted) return { messages, end: 'timeout' }
      return { messages, end: codeOf(err) }
    }
    if (!m) return { messages, end: 'ended' }
    messages.push(m)
  }
}
