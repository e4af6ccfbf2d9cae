// A mesh peer: one libp2p node (TCP + Noise + Yamux) that answers /zerotrace/sync/1.1.0,
// dials the peers it is told to with jittered backoff for as long as it runs, and keeps
// one Session per stream. Used by the agent (node/) and the hub (hub/) alike.
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PrivateKey, Stream } from '@libp2p/interface'
import { SYNC_PROTOCOL_ID, MAX_FRAME, type PeerRole } from '../protocol/index.ts'
import { Channel } from './channel.ts'
import { Counters } from './counters.ts'
import type { Replica } from './replica.ts'
import { DEFAULT_WINDOW, Session } from './session.ts'
import { Slots } from './slots.ts'

export interface MeshPeerInit {
  privateKey: PrivateKey
  listen?: string[]
  role: PeerRole
  /** The replica of a tenant we serve, if we serve it. */
  replicaOf: (tenant: string) => Replica | undefined
  /** Our certificates for a tenant. */
  certificatesFor: (tenant: string) => Uint8Array[]
  /** The tenants we speak for when we dial (an agent: its one tenant). */
  tenants: () => string[]
  counters?: Counters
  windowBytes?: number
  /**
   * Sessions whose envelopes are applied at once (a hub: a few; the rest wait their turn with
   * their streams paused). Unlimited when absent.
   */
  receiveSlots?: number
  keepAliveMs?: number
  dialTimeoutMs?: number
  /**
   * Connection limits: most at once (libp2p prunes beyond; a hub serves many agents), and new
   * connections a second from one address (agents behind one NAT reconnecting together).
   */
  connections?: { max?: number, perHostPerSecond?: number, pendingUpgrades?: number }
  log?: (line: string) => void
  /** Called when a session has passed hello, and when it ends. */
  onSession?: (session: Session, event: 'open' | 'close', code?: string) => void
}

/** The most a yamux stream window grows to (libp2p aborts a paused stream buffering over 4 MiB). */
const STREAM_WINDOW_MAX = 2 * 1024 * 1024

/** A hub's connection limits: many agents, many of them behind one address. */
export const HUB_CONNECTIONS = { max: 20_000, perHostPerSecond: 200, pendingUpgrades: 256 }

/** Sessions a hub applies envelopes of at once (one thread does the work; more only holds more in memory). */
export const HUB_RECEIVE_SLOTS = 4

/** Reconnect delays: 250 ms doubling to 30 s, each jittered to 50–100 %. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 250 * 2 ** Math.min(attempt, 10))
  return Math.round(base * (0.5 + random() / 2))
}

export class MeshPeer {
  readonly counters: Counters
  readonly sessions = new Set<Session>()
  readonly #init: MeshPeerInit
  #node: Libp2p | undefined
  readonly #stop = new AbortController()
  readonly #loops = new Set<Promise<void>>()
  readonly #slots: Slots | undefined

  constructor(init: MeshPeerInit) {
    this.#init = init
    this.counters = init.counters ?? new Counters()
    this.#slots = init.receiveSlots === undefined ? undefined : new Slots(init.receiveSlots)
  }

  get peerId(): string {
    return this.#node!.peerId.toString()
  }

  async start(): Promise<void> {
    this.#node = await createLibp2p({
      privateKey: this.#init.privateKey,
      addresses: { listen: this.#init.listen ?? [] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      // A paused stream's peer may still send what it was granted, into a read buffer that
      // libp2p caps at 4 MiB: keep the window below that cap.
      streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: STREAM_WINDOW_MAX } })],
      connectionManager: {
        maxConnections: this.#init.connections?.max ?? 300,
        inboundConnectionThreshold: this.#init.connections?.perHostPerSecond ?? 5,
        maxIncomingPendingConnections: this.#init.connections?.pendingUpgrades ?? 10,
      },
    })
    await this.#node.handle(SYNC_PROTOCOL_ID, (stream, connection) => {
      this.#run(stream, connection.remotePeer.toString(), false).catch(() => {})
    }, { maxInboundStreams: 4, maxOutboundStreams: 4 })
  }

  /** Full multiaddrs (…/p2p/<PeerId>) we listen on. */
  multiaddrs(): string[] {
    return this.#node!.getMultiaddrs().map((m) => m.toString())
  }

  /** Keeps a session with `addr` for as long as we run: redials with backoff whenever it ends. */
  connect(addr: string): void {
    const loop = this.#dialLoop(addr)
    this.#loops.add(loop)
    loop.finally(() => this.#loops.delete(loop)).catch(() => {})
  }

  async #dialLoop(addr: string): Promise<void> {
    const target = multiaddr(addr)
    let attempt = 0
    const signal = this.#stop.signal
    while (!signal.aborted) {
      const started = Date.now()
      let opened = false
      try {
        const stream = await this.#node!.dialProtocol(target, SYNC_PROTOCOL_ID, { signal: AbortSignal.any([signal, AbortSignal.timeout(this.#init.dialTimeoutMs ?? 10_000)]) })
        const remote = addr.includes('/p2p/') ? addr.slice(addr.lastIndexOf('/p2p/') + 5) : undefined
        const session = await this.#run(stream, remote ?? this.#remoteOf(stream), true, () => { opened = true })
        const code = await session.done
        this.#init.log?.(`sync with ${addr} ended: ${code}`)
      } catch (err) {
        if (!signal.aborted) this.#init.log?.(`dial ${addr}: ${(err as Error).message}`)
      }
      if (signal.aborted) return
      // A session that ran a while starts the backoff over; a dial or hello that fails climbs it.
      attempt = opened && Date.now() - started > 5000 ? 0 : attempt + 1
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, backoffMs(attempt))
        signal.addEventListener('abort', () => { clearTimeout(t); resolve() }, { once: true })
      })
    }
  }

  #remoteOf(stream: Stream): string {
    for (const c of this.#node!.getConnections()) if (c.streams.includes(stream)) return c.remotePeer.toString()
    throw new Error('stream without a connection')
  }

  async #run(stream: Stream, remotePeer: string, initiator: boolean, opened?: () => void): Promise<Session> {
    const window = this.#init.windowBytes ?? DEFAULT_WINDOW
    const channel = new Channel(stream, { maxQueuedBytes: window + 2 * MAX_FRAME })
    const session = new Session({
      channel, remotePeer, initiator, role: this.#init.role,
      replicaOf: this.#init.replicaOf, certificatesFor: this.#init.certificatesFor, tenants: this.#init.tenants(),
      counters: this.counters, windowBytes: window, slots: this.#slots, keepAliveMs: this.#init.keepAliveMs, log: this.#init.log,
      onOpen: (s) => { this.sessions.add(s); opened?.(); this.#init.onSession?.(s, 'open') },
    })
    const running = session.run()
    running.then((code) => {
      if (this.sessions.delete(session)) this.#init.onSession?.(session, 'close', code)
    }).catch(() => {})
    if (!initiator) await running
    return session
  }

  /** Closes every connection to a peer (a revoked agent). */
  async disconnect(peer: string): Promise<void> {
    await this.#node?.hangUp(peerIdFromString(peer)).catch(() => {})
  }

  async stop(): Promise<void> {
    this.#stop.abort()
    await Promise.all([...this.sessions].map((s) => s.refuse('closed', 'peer is shutting down').catch(() => {})))
    await this.#node?.stop()
    await Promise.allSettled([...this.#loops])
  }
}
