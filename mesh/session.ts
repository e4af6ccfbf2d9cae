// One sync session over one stream (protocol/PROTOCOL.md "Sessions"): hello both ways (the
// initiator first; the responder answers only for the initiator's tenant, so nobody learns
// of another tenant), the newer revocation list, have-vectors, then the missing envelopes
// in seq order per author and live ones as they are made. The receiver verifies and stores
// before it acks; the sender keeps at most `windowBytes` unacked, so a slow receiver slows
// the sender instead of making anyone buffer without bound.
import { openEnvelope, type HaveVector } from '../crdt/index.ts'
import { ACCEPTS, PROTOCOL_VERSION, isCompatible, MAX_FRAME, LIMITS, type Message, type PeerRole } from '../protocol/index.ts'
import type { RevocationList } from '../keys/index.ts'
import { codeOf, type Channel } from './channel.ts'
import type { Counters } from './counters.ts'
import { MeshError } from './errors.ts'
import type { Replica } from './replica.ts'
import { SendWindow, type InFlight } from './send-window.ts'
import type { Slots } from './slots.ts'
import { checkHello, type PeerGrant } from './trust.ts'
import { FEED_DOC } from './advisory-feed.ts'
import { receiveAdvisoryUpdate } from './advisory-receive.ts'
import { decodeCertificate } from '../keys/index.ts'

export interface SessionInit {
  channel: Channel
  /** The Noise-authenticated PeerId of the other side. */
  remotePeer: string
  initiator: boolean
  role: PeerRole
  replicaOf: (tenant: string) => Replica | undefined
  /** Our certificates for a tenant (the initiator: for all it speaks for). */
  certificatesFor: (tenant: string) => Uint8Array[]
  /** The tenants the initiator speaks for. */
  tenants: string[]
  counters: Counters
  now?: () => number
  windowBytes?: number
  /** Shared by the sessions of a peer: how many apply envelopes at once. */
  slots?: Slots
  helloTimeoutMs?: number
  /** A ping when nothing was sent for this long; closed when nothing was heard for 3×. */
  keepAliveMs?: number
  log?: (line: string) => void
  onOpen?: (session: Session) => void
}

/** Bytes of envelopes per `envelopes` message: below one frame with room for the array around them. */
const BATCH_BYTES = MAX_FRAME - 64 * 1024
export const DEFAULT_WINDOW = 16 * 1024 * 1024
const MAX_WANTS = 64

const keyOf = (doc: string, author: string) => `${doc}\u0000${author}`

export class Session {
  readonly remotePeer: string
  grant: PeerGrant | undefined
  replica: Replica | undefined
  /** Resolves with the code the session ended with ('closed' when the peer just left). */
  readonly done: Promise<string>
  readonly #init: SessionInit
  readonly #ch: Channel
  readonly #now: () => number
  readonly #window: SendWindow
  /** What the peer holds, as far as we know: its have-vector, then its acks. */
  readonly #peerHas = new Map<string, number>()
  /** The highest seq sent this session per (doc, author). */
  readonly #sent = new Map<string, number>()
  readonly #certsSent = new Set<string>()
  #peerCrlVersion = 0
  /** Nothing is sent before the peer's `have` says what it holds (else a reconnect re-sends all). */
  #dirty = false
  #wakePump: (() => void) | undefined
  #ended: string | undefined
  #wants = 0
  #lastHeard = 0
  #lastSent = 0
  readonly #cleanups: (() => void)[] = []
  readonly #ackListeners = new Set<(acks: { doc: string, author: string, seq: number }[]) => void>()
  #finish!: (code: string) => void

  constructor(init: SessionInit) {
    this.#init = init
    this.#ch = init.channel
    this.remotePeer = init.remotePeer
    this.#now = init.now ?? Date.now
    this.#window = new SendWindow(init.windowBytes ?? DEFAULT_WINDOW)
    this.done = new Promise((resolve) => { this.#finish = resolve })
  }

  get open(): boolean { return this.#ended === undefined && this.grant !== undefined }

  /** Runs the session to its end; never throws (the end code is in `done`). */
  async run(): Promise<string> {
    try {
      await this.#hello()
      this.#init.onOpen?.(this)
      await this.#afterHello()
      const pump = this.#pump()
      const read = this.#read()
      // Whichever ends second may still reject (the stream is gone): that is not news.
      pump.catch(() => {})
      read.catch(() => {})
      await Promise.race([read, pump])
      this.#end('closed')
    } catch (err) {
      await this.#fail(err)
    } finally {
      for (const fn of this.#cleanups) fn()
      this.#wakePump?.()
      this.#window.wake()
    }
    return this.done
  }

  /** Ends the session with a refusal (revoked peer, shutdown…). */
  async refuse(code: string, message: string): Promise<void> {
    if (this.#ended) return
    this.#init.counters.add(`refused:${code}`)
    this.#end(code)
    await this.#ch.refuse(code, message)
  }

  onAck(fn: (acks: { doc: string, author: string, seq: number }[]) => void): () => void {
    this.#ackListeners.add(fn)
    return () => this.#ackListeners.delete(fn)
  }

  #end(code: string): void {
    if (this.#ended) return
    this.#ended = code
    this.#finish(code)
  }

  async #fail(err: unknown): Promise<void> {
    if (this.#ended) return
    const code = codeOf(err)
    if (err instanceof MeshError && err.code === 'closed') { this.#end('closed'); this.#ch.abort(err); return }
    this.#init.log?.(`session with ${this.remotePeer}: ${code}: ${(err as Error).message}`)
    if ((err as { fromPeer?: boolean }).fromPeer) { this.#end(code); await this.#ch.close(); return }
    await this.refuse(code, (err as Error).message)
  }

  async #send(msg: Message): Promise<void> {
    this.#lastSent = this.#now()
    await this.#ch.send(msg)
  }

  async #next(timeoutMs?: number): Promise<Message | undefined> {
    const msg = await this.#ch.next(timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)).catch((err: Error) => {
      if (err.name === 'TimeoutError') throw new MeshError('timeout', `no message from ${this.remotePeer} in ${timeoutMs} ms`)
      throw err
    })
    this.#lastHeard = this.#now()
    if (msg?.type === 'refuse') {
      this.#init.counters.add(`refused-by-peer:${msg.code}`)
      throw Object.assign(new MeshError('closed', `refused by peer: ${msg.code}: ${msg.message}`), { fromPeer: true, code: msg.code })
    }
    return msg
  }

  #helloMessage(tenants: string[], certificates: Uint8Array[]): Message {
    const lists = tenants.map((t) => ({ tenant: t, version: this.#init.replicaOf(t)?.revocationVersion ?? 0 }))
    return { type: 'hello', protocol: PROTOCOL_VERSION, accepts: ACCEPTS, role: this.#init.role, tenants, certificates, revocationLists: lists }
  }

  async #hello(): Promise<void> {
    const timeout = this.#init.helloTimeoutMs ?? 10_000
    if (this.#init.initiator) {
      await this.#send(this.#helloMessage(this.#init.tenants, this.#init.tenants.flatMap((t) => this.#init.certificatesFor(t))))
    }
    const msg = await this.#next(timeout)
    if (!msg) throw new MeshError('closed', 'peer closed before hello')
    if (msg.type !== 'hello') throw new MeshError('hello-required', `the first message must be hello, not ${msg.type}`)
    if (!isCompatible(msg.protocol, msg.accepts)) throw new MeshError('bad-version', `peer speaks ${msg.protocol} accepting ${msg.accepts}; we speak ${PROTOCOL_VERSION} accepting ${ACCEPTS}`)
    const { grant, replica } = checkHello(msg, this.remotePeer, this.#init.role, this.#init.replicaOf, this.#now())
    this.grant = grant
    this.replica = replica
    this.#peerCrlVersion = msg.revocationLists.find((l) => l.tenant === grant.tenant)?.version ?? 0
    if (!this.#init.initiator) await this.#send(this.#helloMessage([grant.tenant], this.#init.certificatesFor(grant.tenant)))
    this.#init.counters.add(`sessions:${grant.role}`)
  }

  async #afterHello(): Promise<void> {
    const replica = this.replica!
    const grant = this.grant!
    if (replica.stores) await replica.learnCertificate(grant.certBytes)
    this.#cleanups.push(replica.onEnvelope(() => this.#poke()))
    this.#cleanups.push(replica.onRevocationList((list) => { this.#onNewList(list).catch((err) => this.#fail(err)) }))
    await this.#offerList(replica.revocationList)
    await this.#send({ type: 'have', vector: await replica.haveFor(grant) })
    const keepAlive = this.#init.keepAliveMs ?? 15_000
    const timer = setInterval(() => {
      if (this.#ended) return
      const now = this.#now()
      if (now - this.#lastHeard > 3 * keepAlive) { this.#fail(new MeshError('timeout', `nothing heard from ${this.remotePeer} for ${now - this.#lastHeard} ms`)).catch(() => {}); return }
      if (now - this.#lastSent >= keepAlive) this.#send({ type: 'ping', nonce: now % 2 ** 32 }).catch((err) => this.#fail(err))
    }, Math.max(50, keepAlive / 3))
    timer.unref()
    this.#cleanups.push(() => clearInterval(timer))
  }

  async #offerList(list: RevocationList | undefined): Promise<void> {
    if (!list || list.body.version <= this.#peerCrlVersion) return
    this.#peerCrlVersion = list.body.version
    await this.#send({ type: 'revocation-list', list: list.bytes })
  }

  async #onNewList(list: RevocationList): Promise<void> {
    if (this.#ended) return
    // Everyone gets the list, the revoked peer too (so it knows), then the revoked one is refused.
    await this.#offerList(list)
    if (this.replica!.isRevoked(this.remotePeer)) {
      await this.refuse('revoked', `certificate of ${this.remotePeer} is revoked (revocation list ${list.body.version})`)
      return
    }
    this.#poke()
  }

  #poke(): void {
    this.#dirty = true
    const wake = this.#wakePump
    this.#wakePump = undefined
    wake?.()
  }

  async #read(): Promise<void> {
    while (await this.#readOne());
  }

  /**
   * One message, handled. Its own frame: a suspended loop keeps the message it handled last
   * until the next one arrives, which for an idle peer is never (a hub that had taken a batch
   * from each of 200 agents held all 200, ~60 MB).
   */
  async #readOne(): Promise<boolean> {
    const msg = await this.#next()
    if (!msg || this.#ended) return false
    await this.#handle(msg)
    return true
  }

  async #handle(msg: Message): Promise<void> {
    const replica = this.replica!
    const grant = this.grant!
    switch (msg.type) {
      case 'hello': throw new MeshError('unexpected-hello', 'hello was sent twice')
      case 'ping': await this.#send({ type: 'pong', nonce: msg.nonce }); return
      case 'pong': return
      case 'have':
        for (const [doc, authors] of Object.entries(msg.vector)) {
          for (const [author, seq] of Object.entries(authors)) this.#peerHas.set(keyOf(doc, author), seq)
        }
        this.#poke()
        return
      case 'revocation-list':
        if (await replica.adoptRevocationList(msg.list)) this.#init.counters.add('revocation-lists:adopted')
        if (replica.isRevoked(this.remotePeer)) throw new MeshError('revoked', `certificate of ${this.remotePeer} is revoked`)
        return
      case 'certificates':
        // From a relay: the authors it forwards (a plain agent keeps only hubs', for advisory updates).
        if (grant.role !== 'relay') { this.#init.counters.add('certificates:ignored'); return }
        for (const bytes of msg.certificates) {
          try {
            if (!replica.stores && !decodeCertificate(bytes).body.roles.includes('hub')) { this.#init.counters.add('certificates:ignored'); continue }
            await replica.learnCertificate(bytes)
          } catch (err) { this.#init.counters.add(`certificates:rejected:${codeOf(err)}`) }
        }
        return
      case 'envelopes': await this.#receive(msg.envelopes); return
      case 'ack': this.#acked(msg.acks); return
      case 'want': this.#want(msg.doc, msg.author, msg.fromSeq); return
      case 'advisories': await this.#receiveUpdate(msg.update); return
      case 'refuse': return
    }
  }

  async #receive(envelopes: Uint8Array[]): Promise<void> {
    const release = await this.#init.slots?.acquire()
    try {
      await this.#apply(envelopes)
    } finally {
      release?.()
    }
  }

  async #apply(envelopes: Uint8Array[]): Promise<void> {
    const replica = this.replica!
    const grant = this.grant!
    if (!replica.stores || grant.role === 'hub') throw new MeshError('role-not-allowed', `a ${replica.role} takes no envelopes from a ${grant.role}`)
    const touched = new Map<string, { doc: string, author: string }>()
    const skipped = new Set<string>()
    for (const bytes of envelopes) {
      let env
      try { env = openEnvelope(bytes) } catch (err) { this.#init.counters.add('envelopes:rejected:malformed'); throw err }
      const key = keyOf(env.doc, env.author)
      if (skipped.has(key)) continue
      try {
        const r = await replica.receive(env, grant)
        this.#init.counters.add(r === 'stored' ? 'envelopes:accepted' : 'envelopes:duplicate')
        touched.set(key, { doc: env.doc, author: env.author })
      } catch (err) {
        const code = codeOf(err)
        this.#init.counters.add(`envelopes:rejected:${code}`)
        if (code !== 'seq-gap') throw err
        // A gap: ask for what is missing (the rest of this author's batch waits for it).
        skipped.add(key)
        const head = await replica.log.head(env.doc, env.author)
        await this.#send({ type: 'want', doc: env.doc, author: env.author, fromSeq: (head?.seq ?? 0) + 1 })
      }
    }
    const acks: { doc: string, author: string, seq: number }[] = []
    for (const { doc, author } of touched.values()) {
      const head = await replica.log.head(doc, author)
      if (head) acks.push({ doc, author, seq: head.seq })
    }
    for (let i = 0; i < acks.length; i += LIMITS.acksPerMessage) await this.#send({ type: 'ack', acks: acks.slice(i, i + LIMITS.acksPerMessage) })
    for (const { doc, author } of touched.values()) replica.changed(doc, author)
  }

  /** An advisory update from a hub (directly, or forwarded by a relay): verified, kept, acked. */
  #receiveUpdate(bytes: Uint8Array): Promise<void> {
    return receiveAdvisoryUpdate(bytes, this.replica!, this.grant!, this.#init.counters, (msg) => this.#send(msg))
  }

  #acked(acks: { doc: string, author: string, seq: number }[]): void {
    for (const a of acks) {
      const key = keyOf(a.doc, a.author)
      if ((this.#peerHas.get(key) ?? 0) < a.seq) this.#peerHas.set(key, a.seq)
    }
    this.#window.release((f) => (this.#peerHas.get(f.key) ?? 0) >= f.seq)
    if (this.grant!.role === 'hub') this.replica!.recordAcks(acks).catch((err) => this.#fail(err))
    for (const fn of this.#ackListeners) fn(acks)
  }

  #want(doc: string, author: string, fromSeq: number): void {
    if (++this.#wants > MAX_WANTS) throw new MeshError('flow-control', `more than ${MAX_WANTS} wants in one session`)
    const key = keyOf(doc, author)
    this.#sent.set(key, Math.min(this.#sent.get(key) ?? 0, fromSeq - 1))
    this.#peerHas.set(key, Math.min(this.#peerHas.get(key) ?? 0, fromSeq - 1))
    this.#window.release((f) => f.key === key && f.seq >= fromSeq)
    this.#poke()
  }

  async #pump(): Promise<void> {
    const replica = this.replica!
    const grant = this.grant!
    const ended = () => this.#ended !== undefined
    for (;;) {
      while (!this.#dirty) {
        if (this.#ended) return
        await new Promise<void>((resolve) => { this.#wakePump = resolve })
      }
      if (this.#ended) return
      this.#dirty = false
      const give: HaveVector = await replica.giveVector(grant)
      let batch: Uint8Array[] = []
      let batchBytes = 0
      let batchRefs: InFlight[] = []
      const flush = async () => {
        if (batch.length === 0) return
        await this.#window.room(batchBytes, ended)
        const sending = batch
        this.#window.add(batchRefs)
        batch = []
        batchBytes = 0
        batchRefs = []
        await this.#send({ type: 'envelopes', envelopes: sending })
      }
      for (const [doc, authors] of Object.entries(give)) {
        for (const [author, head] of Object.entries(authors)) {
          const key = keyOf(doc, author)
          const from = Math.max(this.#peerHas.get(key) ?? 0, this.#sent.get(key) ?? 0) + 1
          if (from > head) continue
          if (author !== replica.self && !this.#certsSent.has(author)) {
            const known = replica.certificateOf(author)
            if (known) { await flush(); await this.#send({ type: 'certificates', certificates: [known.bytes] }) }
            this.#certsSent.add(author)
          }
          if (doc === FEED_DOC) {
            await flush()
            for await (const bytes of replica.feed!.read(author, from, head)) {
              const seq = openEnvelope(bytes).seq
              await this.#window.room(bytes.length, ended)
              this.#window.add([{ key, seq, bytes: bytes.length }])
              this.#sent.set(key, seq)
              await this.#send({ type: 'advisories', update: bytes })
            }
            continue
          }
          for await (const [seq, bytes] of replica.log.readSeqs(doc, author, from, head)) {
            if (seq <= (this.#peerHas.get(key) ?? 0)) continue // acked meanwhile
            if (batchBytes + bytes.length > Math.min(BATCH_BYTES, this.#window.limit) || batch.length >= LIMITS.envelopesPerBatch) await flush()
            batch.push(bytes)
            batchBytes += bytes.length
            batchRefs.push({ key, seq, bytes: bytes.length })
            this.#sent.set(key, seq)
          }
        }
      }
      await flush()
    }
  }
}
