// The hub process: one libp2p node serving every tenant whose root key is in its home, a
// hub certificate per tenant made at start, a replica per tenant in its store, the
// revocation lists of its home watched (a `zt keys revoke` takes effect within a second),
// and the HTTP endpoints (hub/http.ts).
import { randomBytes } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import {
  createAgentKey, issueCertificate, listTenants, loadAgentKey, nextSerial, openTenantRoot, readRevocationList, recordIssued, tenantDir,
  writePrivateFile, parseArmoredCertificate, verifyCertificate, armorCertificate, KeyError, type AgentIdentity, type Certificate, type TenantRoot,
} from '../keys/index.ts'
import { AdvisoryFeed, Counters, HUB_CONNECTIONS, HUB_RECEIVE_SLOTS, MeshPeer, Replica, peerPrivateKey, type Session } from '../mesh/index.ts'
import { HubStore } from './hub-store.ts'
import { Histogram, label } from './metrics.ts'
import { FindingsIndex } from './index/findings-index.ts'
import { AGENTS, FINDINGS, SCAN, TRIAGE, effectiveStatus, parseDocName, tenantDoc, updateAgentStatus, type Triage, type AgentStatusEntry, type ScanSummary } from '../crdt/index.ts'
import { TenantWriter } from './tenant-writer.ts'
import { IndexFeed } from './index-feed.ts'
import { IndexSignal } from './index-signal.ts'
import { createEnricher, createEnrichmentService, createSuppressionStore, hubDbDir, openHubDb, type Enricher, type EnrichmentService, type HubDb, type SuppressionLevel } from './enrich/index.ts'
import type { Store } from '../crdt/index.ts'
import { Webhooks } from './webhooks/webhooks.ts'
import { authenticatorsOf, createHttpApp, principalResolver } from './http.ts'
import { attachSyncEndpoint, CLOSE, type SyncAuthorization } from './sync-ws.ts'
import { allowed, type Principal } from './api/access.ts'
import { HubAuth } from './auth/index.ts'
import type { IncomingMessage, Server } from 'node:http'
import { SOFTWARE_VERSION } from '../protocol/index.ts'

export interface HubInit {
  home: string
  /** Default `<home>/hub`. */
  dataDir?: string
  listen?: string[]
  httpPort?: number
  httpHost?: string
  passphrase: string
  /** How long the hub certificates made at start are valid (default 30 days). */
  certValidityMs?: number
  /** How often the home's revocation lists are looked at (default 200 ms). */
  crlPollMs?: number
  /** An agent gone this long without coming back is reported offline to webhooks (default 60 s). */
  offlineGraceMs?: number
  /** First webhook retry delay (default 1 s). */
  webhookRetryMs?: number
  log?: (line: string) => void
}

export const DEFAULT_P2P_PORT = 7401
export const DEFAULT_HTTP_PORT = 7400
export const OPERATOR_TOKEN_FILE = 'operator.token'
export const HUB_ENDPOINT_FILE = 'hub.json'

export interface TenantState { tenant: string, replica: Replica, cert: Certificate, findings: FindingsIndex, indexFeed: IndexFeed, indexSignal: IndexSignal, root: TenantRoot, writer: TenantWriter, webhooks: Webhooks }

export interface Hub {
  readonly peerId: string
  readonly url: string
  readonly home: string
  multiaddrs(): string[]
  readonly store: HubStore
  readonly mesh: MeshPeer
  readonly auth: HubAuth
  tenants: Map<string, TenantState>
  /** PeerIds with an open session, per tenant. */
  online(tenant: string): Set<string>
  /** Listening, indexes caught up. */
  ready(): boolean
  /** Hands OSV records (JSON texts) to every agent of every tenant as signed advisory updates. */
  publishAdvisories(records: string[]): Promise<number>
  /** The hub's advisory DB with EPSS and KEV (`<data>/advisories`), and what it says of findings. */
  readonly hubDb: HubDb
  readonly enricher: Enricher
  /** Re-matching on advisory changes, re-scoring, VEX suppressions per tenant. */
  readonly enrichment: EnrichmentService
  readonly syncLag: Histogram
  /** The docs browsers follow over /sync now. */
  syncRooms(): string[]
  stop(): Promise<void>
}

async function hubKey(dataDir: string): Promise<AgentIdentity> {
  try {
    return await loadAgentKey(dataDir)
  } catch (err) {
    if (err instanceof KeyError && err.code === 'not-found') return createAgentKey(dataDir)
    throw err
  }
}

/** The hub's certificate for a tenant: the one from its last start while it has a week left, else a new one. */
async function hubCertificate(home: string, dataDir: string, tenant: string, root: TenantRoot, subject: string, now: number, validMs: number): Promise<Certificate> {
  const path = join(dataDir, 'certs', `${tenant}.cert`)
  const text = await readFile(path, 'utf8').catch(() => undefined)
  if (text) {
    try {
      const held = parseArmoredCertificate(text)
      const crl = await readRevocationList(home, tenant)
      const body = verifyCertificate(held, { tenant, rootPublicKey: root.publicKey, revocationList: crl, now, role: 'hub' })
      if (body.subject === subject && body.notAfter > now + Math.min(validMs / 2, 7 * 86_400_000)) return held
    } catch {
      // Unreadable, revoked or expiring: a new one below.
    }
  }
  const cert = issueCertificate(root, { subject, name: 'hub', roles: ['hub'], serial: await nextSerial(home, tenant), notBefore: now, notAfter: now + validMs })
  await recordIssued(home, tenant, cert)
  await writePrivateFile(path, armorCertificate(cert))
  return cert
}

async function operatorToken(home: string): Promise<string> {
  const path = join(home, OPERATOR_TOKEN_FILE)
  const held = await readFile(path, 'utf8').catch(() => undefined)
  if (held && /^[0-9a-f]{64}$/.test(held.trim())) return held.trim()
  const token = randomBytes(32).toString('hex')
  await writePrivateFile(path, token + '\n')
  return token
}

export async function startHub(init: HubInit): Promise<Hub> {
  const log = init.log ?? (() => {})
  const dataDir = init.dataDir ?? join(init.home, 'hub')
  const identity = await hubKey(dataDir)
  const counters = new Counters()
  const store = await HubStore.open(dataDir, {
    onApplyFailed: (tenant, env, err) => {
      counters.add(`envelopes:unstored:${err.code}`)
      log(`tenant ${tenant}: ${env.author}'s envelope ${env.doc}#${env.seq} was stored but does not apply; it and what followed it are taken out again: ${err.message}`)
    },
  })
  const tenants = new Map<string, TenantState>()
  const now = Date.now()
  // One advisory feed for every tenant: the hub signs each update once; each tenant's sessions hand it on.
  const feed = await AdvisoryFeed.open(store.feed)
  const hubDb = await openHubDb(hubDbDir(dataDir))
  const enricher = createEnricher(hubDb)
  const enrichment = createEnrichmentService({ log }, { hubDb, enricher })
  for (const tenant of await listTenants(init.home)) {
    let root
    try {
      root = await openTenantRoot(init.home, tenant, init.passphrase)
    } catch (err) {
      log(`tenant ${tenant}: not served: ${(err as Error).message}`)
      continue
    }
    const cert = await hubCertificate(init.home, dataDir, tenant, root, identity.peerId, now, init.certValidityMs ?? 30 * 86_400_000)
    const t = store.tenant(tenant)
    const replica = await Replica.open({
      tenant, rootPublicKey: root.publicKey, self: identity.peerId, role: 'hub', log: t.log, meta: t.meta,
      hubs: new Set([identity.peerId]), claim: (c) => store.claim(c.subject, tenant), feed,
    })
    const crl = await readRevocationList(init.home, tenant)
    if (crl) await replica.adoptRevocationList(crl.bytes)
    const level = store.db.sublevel<string, Uint8Array>(`t-${tenant}`, { valueEncoding: 'view' })
    const suppression = await enrichment.addTenant(tenant, createSuppressionStore(level.sublevel<string, Uint8Array>('vex', { valueEncoding: 'view' }) as unknown as SuppressionLevel))
    const webhooks = await Webhooks.open({ db: t.hooks, tenant, baseDelayMs: init.webhookRetryMs, log })
    // Indexing gives way while envelopes stream in (one of 64 KiB or more in the last 150 ms:
    // a scan's batch, not a trickle of single findings); FindingsIndex waits at most 500 ms a turn.
    let lastBulk = 0
    replica.onStored((env) => { if (env.bytes.length >= 64 * 1024) lastBulk = Date.now() })
    const indexSignal = new IndexSignal()
    const findings = await FindingsIndex.open(t.index, {
      onIndexed: (agents) => indexSignal.changed(agents),
      busy: () => Date.now() - lastBulk < 150,
      score: enrichment.score,
      suppression,
      onNew: (rows) => {
        for (let i = 0; i < rows.length; i += 500) {
          const findings = rows.slice(i, i + 500).map((r) => ({ id: r.id, agent: r.agent, kind: r.kind, rule: r.rule, severity: r.severity, title: r.title, ecosystem: r.ecosystem, package: r.package, version: r.version, fixedIn: r.fixedIn, path: r.path, line: r.line, evidence: r.evidence }))
          webhooks.emit('finding.new', { findings }).catch((err: Error) => log(`webhooks: ${err.message}`))
        }
      },
    })
    const writer = new TenantWriter(replica, { peerId: identity.peerId, seed: identity.seed }, (err) => log(`agents doc: ${err.message}`))
    const indexFeed = new IndexFeed(findings, (doc) => replica.log.doc(doc, { applied: true }), (doc, err) => log(`index ${doc}: ${err.message}`))
    replica.onApplied((doc, ydoc, changed) => {
      const keys = changed.get(FINDINGS)
      if (keys && keys.size > 0) indexFeed.add(doc, keys)
      const scan = changed.get(SCAN)?.has('last') ? ydoc.getMap<ScanSummary>(SCAN).get('last') : undefined
      const agent = parseDocName(doc)?.owner
      if (scan && agent) writer.updateStatus(agent, { lastScan: scan.at, ...(typeof scan.version === 'string' && SOFTWARE_VERSION.test(scan.version) ? { version: scan.version } : {}) })
    })
    let revoked = new Set((replica.revocationList?.body.entries ?? []).map((e) => e.subject))
    replica.onRevocationList((list) => {
      for (const e of list.body.entries) {
        if (revoked.has(e.subject)) continue
        webhooks.emit('agent.revoked', { agent: e.subject, name: replica.certificateOf(e.subject)?.body.name, reason: e.reason, revokedAt: new Date(e.revokedAt).toISOString(), revocationList: list.body.version })
          .catch((err: Error) => log(`webhooks: ${err.message}`))
      }
      revoked = new Set(list.body.entries.map((e) => e.subject))
      writer.write('agents', (d) => { for (const [id, entry] of d.getMap<AgentStatusEntry>(AGENTS)) if (!entry.revoked && replica.isRevoked(id)) updateAgentStatus(d, id, { revoked: true }) })
        .catch((err: Error) => log(`agents doc: ${err.message}`))
    })
    await catchUp(replica, findings)
    await replica.log.releaseIdle(0)
    tenants.set(tenant, { tenant, replica, cert, findings, indexFeed, indexSignal, root, writer, webhooks })
    await enrichment.attach({ tenant, replica, writer, findings, marks: level.sublevel<string, Uint8Array>('enrich-marks', { valueEncoding: 'view' }) as unknown as Store })
  }
  if (tenants.size === 0) {
    await store.close()
    throw new Error(`no tenant to serve in ${init.home} (zt tenant create …, and the same passphrase)`)
  }

  feed.onUpdate((env) => { for (const t of tenants.values()) t.replica.changed(env.doc, env.author) })
  const online = new Map<string, Set<string>>()
  const mesh = new MeshPeer({
    privateKey: peerPrivateKey(identity), role: 'hub', listen: init.listen ?? [`/ip4/0.0.0.0/tcp/${DEFAULT_P2P_PORT}`], counters,
    connections: HUB_CONNECTIONS,
    receiveSlots: HUB_RECEIVE_SLOTS,
    replicaOf: (t) => tenants.get(t)?.replica,
    certificatesFor: (t) => { const s = tenants.get(t); return s ? [s.cert.bytes] : [] },
    tenants: () => [...tenants.keys()],
    log,
    onSession: (s: Session, event) => {
      const tenant = s.grant!.tenant
      const set = online.get(tenant) ?? new Set<string>()
      online.set(tenant, set)
      if (event === 'open') set.add(s.remotePeer)
      else if (![...mesh.sessions].some((o) => o.remotePeer === s.remotePeer)) {
        set.delete(s.remotePeer)
        // Offline only if it stays away past the grace (a reconnect is not news).
        const gone = setTimeout(() => {
          const state = tenants.get(tenant)
          if (!state || set.has(s.remotePeer) || state.replica.isRevoked(s.remotePeer)) return
          state.webhooks.emit('agent.offline', { agent: s.remotePeer, name: s.grant!.cert.name, lastSeen: new Date(Date.now() - (init.offlineGraceMs ?? 60_000)).toISOString() })
            .catch((err: Error) => log(`webhooks: ${err.message}`))
        }, init.offlineGraceMs ?? 60_000)
        gone.unref()
      }
      const now = Date.now()
      store.seen(tenant, s.remotePeer, now).catch(() => {})
      const cert = s.grant!.cert
      tenants.get(tenant)?.writer.updateStatus(s.remotePeer, () => ({ name: cert.name, online: set.has(s.remotePeer), lastSeen: now, certExpiry: cert.notAfter, revoked: tenants.get(tenant)!.replica.isRevoked(s.remotePeer) }))
    },
  })
  await mesh.start()

  // A revoked peer is dropped at once (its sessions refuse themselves; its connections close).
  for (const { replica } of tenants.values()) {
    replica.onRevocationList(() => {
      for (const s of mesh.sessions) if (s.replica === replica && replica.isRevoked(s.remotePeer)) setTimeout(() => { mesh.disconnect(s.remotePeer).catch(() => {}) }, 100)
    })
  }
  const crlTimer = watchRevocationLists(init.home, tenants, init.crlPollMs ?? 200, log)
  // Docs unused for a minute are checkpointed and dropped: memory follows what is in use.
  const idleTimer = setInterval(() => {
    for (const t of tenants.values()) t.replica.log.releaseIdle(60_000).catch((err: Error) => log(`releasing idle docs: ${err.message}`))
  }, 30_000)
  idleTimer.unref()

  const token = await operatorToken(init.home)
  const auth = await HubAuth.open(store.db, { setup: true }, { log })
  const syncLag = new Histogram([0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600, 86_400])
  for (const { tenant, replica } of tenants.values()) replica.onStored((env) => env.author !== identity.peerId && syncLag.observe(`tenant="${label(tenant)}"`, Math.max(0, Date.now() - env.ts) / 1000))
  let listening = false
  const hub = { peerId: identity.peerId, url: '', home: init.home, store, mesh, auth, tenants, syncLag, ready: () => listening, hubDb, enricher, enrichment,
    publishAdvisories: (records: string[]) => feed.publish({ peerId: identity.peerId, seed: identity.seed }, records), multiaddrs: () => mesh.multiaddrs(), online: (t: string) => online.get(t) ?? new Set<string>(),
    syncRooms: () => sync.rooms() } as Hub & { url: string }
  const { app } = createHttpApp(hub, token, log)
  const principalOf = principalResolver(authenticatorsOf(token, auth))
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: init.httpPort ?? DEFAULT_HTTP_PORT, hostname: init.httpHost ?? '127.0.0.1' }, () => resolve(s))
    s.once('error', reject)
  })
  const sync = attachSyncEndpoint(server as Server, {
    authorize: (req, doc) => authorizeSync(hub, principalOf, req, doc),
    onStored: (replica, fn) => replica.onStored(fn),
    // The `<tenant>/agents` room carries the hub's word that the findings index moved.
    roomState: (replica, doc) => parseDocName(doc)?.kind === 'agents' ? tenants.get(replica.tenant)?.indexSignal : undefined,
    log,
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : init.httpPort
  hub.url = `http://${init.httpHost ?? '127.0.0.1'}:${port}`
  listening = true
  await writePrivateFile(join(init.home, HUB_ENDPOINT_FILE), JSON.stringify({ url: hub.url, peerId: identity.peerId, multiaddrs: mesh.multiaddrs(), pid: process.pid }, null, 2) + '\n')

  hub.stop = async () => {
    clearInterval(crlTimer)
    clearInterval(idleTimer)
    for (const t of tenants.values()) { t.webhooks.close(); t.indexSignal.close() }
    sync.close()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await mesh.stop()
    await enrichment.close()
    // Sessions closing above write `<tenant>/agents`; the index follows each write: let both
    // settle, or they would run into a closed store.
    for (const t of tenants.values()) await t.writer.idle()
    for (const t of tenants.values()) await t.indexFeed.idle()
    await hubDb.close()
    await store.close()
  }
  return hub
}

/** Who may read a doc over /sync: viewers and up of the doc's tenant; findings, inventory, agents, triage and enrich (the hub's own matches) docs. */
async function authorizeSync(hub: Hub, principalOf: (h: Headers) => Promise<Principal | undefined>, req: IncomingMessage, doc: string): Promise<SyncAuthorization> {
  const parsed = parseDocName(doc)
  if (!parsed || !['findings', 'inventory', 'agents', 'triage', 'enrich'].includes(parsed.kind)) return { ok: false, code: CLOSE.badDoc, reason: 'not a doc served here' }
  const headers = new Headers()
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
  const p = await principalOf(headers)
  if (!p) return { ok: false, code: CLOSE.unauthorized, reason: 'unauthorized' }
  const tenant = parsed.kind === 'agents' || parsed.kind === 'triage' || parsed.kind === 'enrich' ? parsed.owner : hub.store.ownerOf(parsed.owner)
  const state = tenant === undefined ? undefined : hub.tenants.get(tenant)
  // A doc of a tenant the caller has no role on is indistinguishable from none.
  if (!state || !(p.operator || p.roles[state.tenant])) return { ok: false, code: CLOSE.unknownDoc, reason: 'unknown doc' }
  if (!allowed(p, { kind: 'tenant', role: 'viewer' }, state.tenant)) return { ok: false, code: CLOSE.forbidden, reason: 'forbidden' }
  return { ok: true, replica: state.replica }
}

/** Re-indexes the findings docs (and the hub's own matches) that moved on since they were last indexed (after a crash, an import), and the triage. */
async function catchUp(replica: Replica, index: FindingsIndex): Promise<void> {
  const triage = await replica.log.doc(tenantDoc(replica.tenant, 'triage'))
  for (const doc of Object.keys(await replica.log.haveVector())) {
    const kind = parseDocName(doc)?.kind
    if (kind !== 'findings' && kind !== 'enrich') continue
    const d = await replica.log.doc(doc)
    if (d && !(await index.covers(doc, d))) await index.update(doc, d)
  }
  if (triage) await index.setTriage(new Map([...triage.getMap<Triage>(TRIAGE)].map(([id, t]) => [id, effectiveStatus(t, Date.now())])))
}

/** Polls each tenant's revocation list file in the home; a newer one is adopted and handed on. */
function watchRevocationLists(home: string, tenants: Map<string, TenantState>, everyMs: number, log: (line: string) => void): NodeJS.Timeout {
  const seen = new Map<string, string>()
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    ;(async () => {
      for (const { tenant, replica } of tenants.values()) {
        const s = await stat(join(tenantDir(home, tenant), 'crl')).catch(() => undefined)
        const mark = s ? `${s.mtimeMs}:${s.size}` : ''
        if (!s || seen.get(tenant) === mark) continue
        seen.set(tenant, mark)
        const list = await readRevocationList(home, tenant).catch(() => undefined)
        if (list && list.body.version > replica.revocationVersion && await replica.adoptRevocationList(list.bytes)) {
          log(`tenant ${tenant}: revocation list ${list.body.version} adopted (${list.body.entries.length} entries)`)
        }
      }
    })().catch((err: Error) => log(`revocation lists: ${err.message}`)).finally(() => { busy = false })
  }, everyMs)
  timer.unref()
  return timer
}
