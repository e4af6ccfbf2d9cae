// A tenant's replica as the mesh sees it: the envelope log, the certificates of the authors
// it holds envelopes of, the tenant's revocation list, and what the hub has acked. Sessions
// ask it what to tell and hand a peer, and give it what arrives; it verifies everything
// before anything is stored, and tells the other sessions what changed.
import { checkCertificate, decodeCertificate, decodeRevocationList, isRevoked, verifyRevocationList, type CertificateBody, type RevocationList } from '../keys/index.ts'
import { docAndAuthorOf, findingsDoc, inventoryDoc, parseDocName, type AppendResult, type EnvelopeLog, type HaveVector, type Store } from '../crdt/index.ts'
import { pack, unpack, type Envelope, type PeerRole } from '../protocol/index.ts'
import type * as Y from 'yjs'
import { MeshError } from './errors.ts'
import { FEED_DOC, type AdvisoryFeed } from './advisory-feed.ts'
import type { PeerGrant } from './trust.ts'

export interface ReplicaInit {
  tenant: string
  rootPublicKey: Uint8Array
  /** Our PeerId and role on the mesh. */
  self: string
  role: PeerRole
  log: EnvelopeLog
  /** Where certificates, the revocation list and acks are kept. */
  meta: Store
  /** A relay keeps at most this many bytes of other agents' envelopes (default 1 GiB). */
  relayCapBytes?: number
  /** Hubs of the tenant (writers of its tenant docs). */
  hubs?: ReadonlySet<string>
  /** Throws when the certificate's subject already belongs to another tenant. */
  claim?: (cert: CertificateBody) => void
  /** The advisory feed this peer keeps and hands on (hubs publish it; relays and agents receive it). */
  feed?: AdvisoryFeed
  now?: () => number
}

export interface Known { body: CertificateBody, bytes: Uint8Array }

const CRL_KEY = 'crl'
const RELAYED_KEY = 'relayed-bytes'
const certKey = (peer: string) => `cert!${peer}`
const ackKey = (doc: string, author: string) => `ack!${doc}!${author}`

export class Replica {
  readonly tenant: string
  readonly rootPublicKey: Uint8Array
  readonly self: string
  readonly role: PeerRole
  readonly log: EnvelopeLog
  readonly #meta: Store
  readonly #cap: number
  readonly feed: AdvisoryFeed | undefined
  readonly #hubs: ReadonlySet<string>
  readonly #claim: (cert: CertificateBody) => void
  readonly #now: () => number
  readonly #certs = new Map<string, Known>()
  #crl: RevocationList | undefined
  #revoked = new Set<string>()
  #relayed = 0
  readonly #envelopeListeners = new Set<(doc: string, author: string) => void>()
  readonly #crlListeners = new Set<(list: RevocationList) => void>()
  readonly #storedListeners = new Set<(env: Envelope) => void>()
  readonly #appliedListeners = new Set<(doc: string, ydoc: Y.Doc, changed: Map<string, Set<string>>) => void>()

  private constructor(init: ReplicaInit) {
    this.tenant = init.tenant
    this.rootPublicKey = init.rootPublicKey
    this.self = init.self
    this.role = init.role
    this.log = init.log
    this.#meta = init.meta
    this.#cap = init.relayCapBytes ?? 1024 ** 3
    this.#hubs = init.hubs ?? new Set()
    this.#claim = init.claim ?? (() => {})
    this.#now = init.now ?? Date.now
    this.feed = init.feed
  }

  static async open(init: ReplicaInit): Promise<Replica> {
    const r = new Replica(init)
    const crl = await r.#meta.get(CRL_KEY)
    if (crl) r.#setCrl(decodeRevocationList(crl))
    for await (const [key, value] of r.#meta.iterator({ gte: 'cert!', lt: 'cert"' })) {
      const cert = decodeCertificate(value)
      r.#certs.set(key.slice(5), { body: cert.body, bytes: cert.bytes })
    }
    const relayed = await r.#meta.get(RELAYED_KEY)
    r.#relayed = relayed ? (unpack(relayed) as number) : 0
    return r
  }

  get revocationList(): RevocationList | undefined { return this.#crl }
  get revocationVersion(): number { return this.#crl?.body.version ?? 0 }
  get relayedBytes(): number { return this.#relayed }

  #setCrl(list: RevocationList): void {
    this.#crl = list
    this.#revoked = new Set(list.body.entries.map((e) => e.subject))
  }

  isRevoked(peer: string): boolean {
    return this.#revoked.has(peer) || (this.#crl !== undefined && this.#certs.has(peer) && isRevoked(this.#crl, this.#certs.get(peer)!.body))
  }

  /**
   * Takes a signed list when it verifies under the tenant root and is newer than ours;
   * every session of the tenant is told. Returns whether it was adopted.
   */
  async adoptRevocationList(bytes: Uint8Array): Promise<boolean> {
    let list
    try {
      list = decodeRevocationList(bytes)
      verifyRevocationList(list, { tenant: this.tenant, rootPublicKey: this.rootPublicKey })
    } catch (err) {
      throw new MeshError('bad-revocation-list', `revocation list refused: ${(err as Error).message}`, { cause: err })
    }
    if (list.body.version <= this.revocationVersion) return false
    await this.#meta.put(CRL_KEY, list.bytes)
    this.#setCrl(list)
    for (const fn of this.#crlListeners) fn(list)
    return true
  }

  /** Verifies and keeps an author's certificate (from a hello, or forwarded by a relay). */
  async learnCertificate(bytes: Uint8Array): Promise<CertificateBody> {
    let cert
    try { cert = decodeCertificate(bytes) } catch { throw new MeshError('malformed', 'certificate does not decode') }
    const r = checkCertificate(cert, { tenant: this.tenant, rootPublicKey: this.rootPublicKey, revocationList: this.#crl, now: this.#now() })
    if (!r.ok) throw new MeshError(r.reason, r.message)
    this.claimAgent(r.body)
    const held = this.#certs.get(r.body.subject)
    // Keep the newest certificate of a subject (a renewal replaces the older one).
    if (!held || held.body.serial < r.body.serial || (held.body.serial === r.body.serial && held.body.notAfter < r.body.notAfter)) {
      await this.#meta.put(certKey(r.body.subject), cert.bytes)
      this.#certs.set(r.body.subject, { body: r.body, bytes: cert.bytes })
    }
    return r.body
  }

  claimAgent(cert: CertificateBody): void {
    this.#claim(cert)
  }

  certificateOf(peer: string): Known | undefined {
    return this.#certs.get(peer)
  }

  certificates(): Known[] {
    return [...this.#certs.values()]
  }

  /** Whether we keep envelopes of others (a hub, or a relay). */
  get stores(): boolean {
    return this.role === 'hub' || this.role === 'relay'
  }

  /** Whether `peer` holds a valid hub certificate of the tenant (an author of advisory updates). */
  isHub(peer: string): boolean {
    return !!this.#certs.get(peer)?.body.roles.includes('hub') && !this.isRevoked(peer)
  }

  /** What we tell a peer we hold: for the docs it may hand us (and the advisory feed, from hubs and relays). */
  async haveFor(peer: PeerGrant): Promise<HaveVector> {
    const out: HaveVector = {}
    if (this.feed && this.role !== 'hub' && peer.role !== 'agent') out[FEED_DOC] = this.feed.heads()
    if (!this.stores || peer.role === 'hub') return out
    const all = await this.log.haveVector()
    if (peer.role === 'relay') return { ...all, ...out }
    for (const doc of [findingsDoc(peer.peerId), inventoryDoc(peer.peerId)]) out[doc] = all[doc] ?? {}
    return out
  }

  /** The heads of what we may hand a peer: our own docs; a relay also the others it keeps; hubs and relays the advisory feed. */
  async giveVector(peer: PeerGrant): Promise<HaveVector> {
    const out: HaveVector = {}
    if (this.feed && this.role !== 'agent' && peer.role !== 'hub') {
      const heads = Object.entries(this.feed.heads()).filter(([hub]) => this.role === 'hub' ? hub === this.self : this.isHub(hub))
      if (heads.length > 0) out[FEED_DOC] = Object.fromEntries(heads)
    }
    if (peer.role === 'agent' || this.role === 'hub') return out
    const all = await this.log.haveVector()
    for (const [doc, authors] of Object.entries(all)) {
      const owner = parseDocName(doc)?.owner
      if (owner === peer.peerId) continue
      if (owner !== this.self && this.role !== 'relay') continue
      for (const [author, seq] of Object.entries(authors)) {
        if (this.isRevoked(author)) continue
        ;(out[doc] ??= {})[author] = seq
      }
    }
    return out
  }

  /** Verifies and stores one envelope that `from` handed us (no `from`: out of a bundle). */
  async receive(env: Envelope, from?: PeerGrant): Promise<AppendResult> {
    if (env.kind === 'advisories') throw new MeshError('bad-update', 'advisory updates travel in advisories messages, not as doc envelopes')
    const author = env.author
    const bytes = env.bytes
    if (from && author !== from.peerId && from.role !== 'relay') throw new MeshError('wrong-author', `${from.peerId} is not a relay: it hands only its own envelopes`)
    // Revoked first: a revoked author's certificate is never learnt, so it would read as unknown.
    if (this.isRevoked(author)) throw new MeshError('revoked', `${author} is revoked`)
    if (author !== from?.peerId && !this.#certs.has(author)) throw new MeshError('unknown-author', `no certificate of ${author} in tenant '${this.tenant}'`)
    const relayed = author !== this.self && this.role === 'relay'
    if (relayed && this.#relayed + bytes.length > this.#cap) throw new MeshError('relay-full', `relay holds ${this.#relayed} bytes of other agents' envelopes (cap ${this.#cap})`)
    const observe = this.#appliedListeners.size === 0 ? undefined : (ydoc: Y.Doc, changed: Map<string, Set<string>>) => {
      for (const fn of this.#appliedListeners) fn(env.doc, ydoc, changed)
    }
    const result = await this.log.append(env, { rights: { hubs: this.#hubs, tenant: this.tenant }, isRevoked: (a) => this.isRevoked(a), observe })
    if (result === 'stored') for (const fn of this.#storedListeners) fn(env)
    if (result === 'stored' && relayed) {
      this.#relayed += bytes.length
      await this.#meta.put(RELAYED_KEY, pack(this.#relayed))
    }
    return result
  }

  /** Tells every session that a doc has new envelopes (ours, or just received). */
  changed(doc: string, author: string): void {
    for (const fn of this.#envelopeListeners) fn(doc, author)
  }

  onEnvelope(fn: (doc: string, author: string) => void): () => void {
    this.#envelopeListeners.add(fn)
    return () => this.#envelopeListeners.delete(fn)
  }

  /** Tells the stored-envelope listeners of an envelope this peer wrote itself (a hub's tenant docs). */
  published(env: Envelope): void {
    for (const fn of this.#storedListeners) fn(env)
    this.changed(env.doc, env.author)
  }

  /** Called with each envelope stored from a peer or a bundle (live views forward its update). */
  onStored(fn: (env: Envelope) => void): () => void {
    this.#storedListeners.add(fn)
    return () => this.#storedListeners.delete(fn)
  }

  /**
   * Called as each received envelope is applied, with the doc as it now stands and the keys
   * changed per root map (read what you need synchronously: the doc is the log's).
   */
  onApplied(fn: (doc: string, ydoc: Y.Doc, changed: Map<string, Set<string>>) => void): () => void {
    this.#appliedListeners.add(fn)
    return () => this.#appliedListeners.delete(fn)
  }

  onRevocationList(fn: (list: RevocationList) => void): () => void {
    this.#crlListeners.add(fn)
    return () => this.#crlListeners.delete(fn)
  }

  /** Records what a hub acked as durable (for `zt agent export --since-ack`). */
  async recordAcks(acks: { doc: string, author: string, seq: number }[]): Promise<void> {
    if (acks.length === 0) return
    await this.#meta.batch(acks.map((a) => ({ type: 'put' as const, key: ackKey(a.doc, a.author), value: pack(a.seq) })))
  }

  /** {doc → {author → seq}} the hub acked. */
  async acked(): Promise<HaveVector> {
    const out: HaveVector = {}
    for await (const [key, value] of this.#meta.iterator({ gte: 'ack!', lt: 'ack"' })) {
      const { doc, author } = docAndAuthorOf(key, 'ack!')
      ;(out[doc] ??= {})[author] = unpack(value) as number
    }
    return out
  }
}
