// The agent daemon: scans at start and on an interval, writes what changed as signed
// envelopes, serves its control socket, and keeps running with no hub and no network.
import { existsSync, watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'
import type { Server } from 'node:net'
import { loadAgentKey, loadOrCreateInstallationKey } from '../../keys/index.ts'
import { openAdvisoryDb, type AdvisoryDb } from '../../advisories/index.ts'
import { ScanCache } from '../scan/scan-cache.ts'
import { parserFor } from '../scan/lockfiles/index.ts'
import { scan } from '../scan/scanner.ts'
import { AgentStore, CACHE_DIR, INSTALLATION_KEY_FILE, SOCKET_FILE, type LastScan } from './agent-store.ts'
import { serveControl, type ControlRequest } from './control-socket.ts'
import { listFindings, logReport, status } from './queries.ts'
import { compactIfLong, writeScan } from './scan-to-log.ts'
import { loadAgentCertificate, wantsMesh, type AgentMeshOptions } from './agent-cert.ts'
import type { AgentMesh } from './agent-mesh.ts'
// The mesh (libp2p) is loaded only by agents that join it, or export a bundle.
const meshModule = () => import('./agent-mesh.ts')
import { findingsDoc, inventoryDoc } from '../../crdt/index.ts'
import type { Certificate } from '../../keys/index.ts'
import { giveBackMemory } from '../../protocol/index.ts'

export interface AgentInit {
  dataDir: string
  roots: string[]
  /** Advisory DB dir (default <data>/db). */
  dbDir?: string
  intervalMs?: number
  exclude?: string[]
  /** Compact a doc's log into a snapshot after this many envelopes (default 64). */
  compactAfter?: number
  /** Rescan soon after a lockfile under the roots changes (default true, where the OS can watch a tree). */
  watch?: boolean
  /** The mesh: certificate, hub, peers, relay, listen addresses. */
  mesh?: AgentMeshOptions
}

/** Quiet time after the last lockfile change before the rescan it triggers. */
const WATCH_DEBOUNCE_MS = 1500

/** Docs unused this long are checkpointed and dropped from memory until the next scan or query. */
const DOC_IDLE_MS = 60_000

/** Quiet time after a scan before the agent hands its memory back (queries right after a scan stay fast). */
const SETTLE_MS = 2_000

export interface AgentComponents {
  now?: () => number
  log?: (line: string) => void
}

export interface Agent {
  readonly agentId: string
  /** Our multiaddrs when on the mesh and listening. */
  multiaddrs(): string[]
  start(): Promise<void>
  /** Runs one scan now (serialized with the interval's). */
  scanOnce(): Promise<LastScan>
  /**
   * Resolves true once a hub has acked every envelope of the agent's own docs as durable,
   * false when `timeoutMs` passes first (or the agent is not on the mesh).
   */
  synced(timeoutMs: number): Promise<boolean>
  stop(): Promise<void>
}

export async function createAgent(init: AgentInit, components: AgentComponents = {}): Promise<Agent> {
  const now = components.now ?? Date.now
  const log = components.log ?? (() => {})
  const identity = await loadAgentKey(init.dataDir)
  /** The docs this agent writes. */
  const ownDocs = [findingsDoc(identity.peerId), inventoryDoc(identity.peerId)]
  const author = { peerId: identity.peerId, seed: identity.seed }
  const hmacKey = await loadOrCreateInstallationKey(join(init.dataDir, INSTALLATION_KEY_FILE))
  let store: AgentStore | undefined
  let mesh: AgentMesh | undefined
  let cert: Certificate | undefined
  let server: Server | undefined
  let timer: NodeJS.Timeout | undefined
  let idleTimer: NodeJS.Timeout | undefined
  let watchTimer: NodeJS.Timeout | undefined
  const watchers: FSWatcher[] = []
  let running: Promise<LastScan> | undefined
  let stopped = false
  let warnedNoDb = false
  const dbDir = init.dbDir ?? join(init.dataDir, 'db')

  // Scans and advisory imports take turns with the advisory DB (LevelDB: one opener at a time).
  let dbTurn: Promise<unknown> = Promise.resolve()
  const withDb = <T>(fn: () => Promise<T>): Promise<T> => { const run = dbTurn.then(fn); dbTurn = run.catch(() => {}); return run }
  let applyTimer: NodeJS.Timeout | undefined
  const applyUpdates = () => withDb(async () => {
    if (!mesh || stopped) return
    const n = await (await meshModule()).applyAdvisoryUpdates(mesh.feed, store!, dbDir, log)
    if (n > 0) { warnedNoDb = false; setTimeout(() => { scanOnce().catch((err: Error) => log(`scan failed: ${err.message}`)) }, 0) }
  })
  // Memory follows what is in use: docs unused for `idleMs` are dropped (a query or the next
  // scan loads them again), LevelDB's memtable is written out, and the heap they grew is
  // handed back; where nothing was dropped, only if `always` (after a scan).
  const goIdle = async (idleMs: number, always: boolean): Promise<void> => {
    const released = await store?.log.releaseIdle(idleMs) ?? 0
    if (released === 0 && !always) return
    await store?.flush()
    if (!running && !stopped) giveBackMemory()
  }
  // Once a scan is done and nothing else came.
  let settleTimer: NodeJS.Timeout | undefined
  const settle = () => {
    clearTimeout(settleTimer)
    settleTimer = setTimeout(() => {
      if (running || stopped) return
      goIdle(SETTLE_MS, true).catch((err: Error) => log(`releasing docs failed: ${err.message}`))
    }, SETTLE_MS)
    settleTimer.unref()
  }

  const scanOnce = async (): Promise<LastScan> => {
    if (running) return running
    running = withDb(async () => {
      const started = performance.now()
      const at = now()
      // The scan cache and the advisory DB are open only while a scan runs: an idle agent
      // holds no LevelDB buffers but its store's, and `zt db import` can update the DB between scans.
      const cache = await ScanCache.open(join(init.dataDir, CACHE_DIR))
      let db: AdvisoryDb | undefined
      let result
      try {
        if (existsSync(join(dbDir, 'CURRENT'))) db = await openAdvisoryDb(dbDir)
        else if (!warnedNoDb) { warnedNoDb = true; log(`no advisory DB in ${dbDir}: reporting inventory and secrets only (zt db import --db ${dbDir} …)`) }
        result = await scan({ roots: init.roots, exclude: init.exclude, agent: identity.peerId, hmacKey, advisories: db, cache, inventory: true })
      } finally {
        await cache.close()
        await db?.close()
      }
      const written = await writeScan(store!, author, { findings: result.findings, packages: result.packages, durationMs: result.stats.durationMs }, at)
      const last: LastScan = { at, durationMs: Math.round(performance.now() - started), packages: result.stats.packages, findings: result.findings.length, open: written.open, errors: result.errors.length, appendedBytes: written.appendedBytes }
      await store!.putMeta('lastScan', last)
      mesh?.changed(ownDocs)
      const compacted = await compactIfLong(store!, author, at, init.compactAfter)
      if (compacted > 0) log(`compaction: ${compacted} envelopes superseded by snapshots`)
      log(`scan: ${last.packages} packages, ${last.findings} findings, ${last.errors} errors, ${last.appendedBytes} bytes appended in ${last.durationMs} ms`)
      settle()
      return last
    })
    try { return await running } finally { running = undefined }
  }

  const handle = async (req: ControlRequest): Promise<unknown> => {
    switch (req.cmd) {
      case 'findings': return listFindings(store!, identity.peerId, { all: req.all })
      case 'status': return status(store!, identity.peerId, true, init.dataDir)
      case 'log': return logReport(store!, { verify: req.verify })
      case 'scan': return scanOnce()
      case 'export': {
        if (!cert) throw Object.assign(new Error('the agent has no certificate: a bundle names its tenant (zt keys sign-agent … --out DATA/agent.cert)'), { code: 'no-certificate' })
        const m = await meshModule()
        return m.exportBundle(mesh?.replica ?? await m.openAgentReplica(store!, identity, cert), req.out, Boolean(req.sinceAck))
      }
    }
  }

  return {
    agentId: identity.peerId,
    async start() {
      if (store) return
      store = await AgentStore.open(init.dataDir, { waitMs: 5000 })
      cert = await loadAgentCertificate(init.dataDir, identity, init.mesh?.certFile)
      if (wantsMesh(init.mesh)) {
        if (!cert) throw new Error(`the mesh needs a certificate: --cert FILE or ${join(init.dataDir, 'agent.cert')} (zt keys sign-agent)`)
        mesh = await (await meshModule()).startAgentMesh(store, identity, cert, init.mesh!, log)
        // New advisories from the hub: imported shortly after they arrive, then a rescan matches with them.
        mesh.feed.onUpdate(() => { clearTimeout(applyTimer); applyTimer = setTimeout(() => { applyUpdates().catch((err: Error) => log(`advisories: ${err.message}`)) }, 300) })
        await applyUpdates()
      }
      server = await serveControl(join(init.dataDir, SOCKET_FILE), handle)
      await scanOnce()
      if ((init.watch ?? true) && init.intervalMs !== undefined) {
        // Recursive fs.watch is cheap on Linux and macOS; a change to a lockfile rescans soon.
        for (const root of init.roots) {
          try {
            const w = watch(root, { recursive: true, persistent: false }, (_event, file) => {
              if (!file || stopped || !parserFor(file.toString().split('\\').join('/'))) return
              clearTimeout(watchTimer)
      clearTimeout(applyTimer)
              watchTimer = setTimeout(() => { scanOnce().catch((err: Error) => log(`scan failed: ${err.message}`)) }, WATCH_DEBOUNCE_MS)
            })
            w.on('error', () => w.close())
            watchers.push(w)
          } catch (err) {
            log(`not watching ${root}: ${(err as Error).message}`)
          }
        }
      }
      if (init.intervalMs !== undefined) {
        idleTimer = setInterval(() => {
          goIdle(DOC_IDLE_MS, false).catch((err: Error) => log(`releasing idle docs failed: ${err.message}`))
        }, DOC_IDLE_MS / 2)
        idleTimer.unref()
      }
      if (init.intervalMs && !stopped) {
        const tick = () => { timer = setTimeout(() => { scanOnce().catch((err: Error) => log(`scan failed: ${err.message}`)).finally(() => { if (!stopped) tick() }) }, init.intervalMs) }
        tick()
      }
    },
    scanOnce,
    async synced(timeoutMs) {
      const end = Date.now() + timeoutMs
      for (;;) {
        if (!mesh || stopped) return false
        const [heads, acked] = await Promise.all([Promise.all(ownDocs.map((doc) => store!.log.head(doc, identity.peerId))), mesh.replica.acked()])
        if (ownDocs.every((doc, i) => (acked[doc]?.[identity.peerId] ?? 0) >= (heads[i]?.seq ?? 0))) return true
        if (Date.now() >= end) return false
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    multiaddrs: () => mesh?.peer.multiaddrs() ?? [],
    async stop() {
      if (stopped) return
      stopped = true
      if (timer) clearTimeout(timer)
      clearInterval(idleTimer)
      clearTimeout(watchTimer)
      clearTimeout(applyTimer)
      clearTimeout(settleTimer)
      for (const w of watchers) w.close()
      await running?.catch(() => {})
      await dbTurn.catch(() => {})
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
      await mesh?.stop()
      await store?.close()
    },
  }
}
