// What bench:sync runs on: a tenant home, the real hub process (`zt hub start`) as a child,
// agents as the daemon builds them (AgentStore + its replica + a MeshPeer), acks awaited per
// seq, and child processes that print one ready line.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { findingsDoc, type Author, type Finding } from '../../crdt/index.ts'
import { createAgentKey, issueCertificate, type AgentIdentity, type Certificate, type TenantRoot } from '../../keys/index.ts'
import { MeshPeer, peerPrivateKey, type Replica } from '../../mesh/index.ts'
import { AgentStore } from '../../node/index.ts'
import { openAgentReplica } from '../../node/agent/agent-mesh.ts'

export const ROOT = resolve(import.meta.dirname, '../..')
export const TENANT = 'acme'
export const PASS = 'bench-sync-passphrase'
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const

/** Findings shaped like a scan's (the generator of bench:store), ids from `from`. */
export function makeFindings(n: number, from = 0): Finding[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k
    return {
      id: i.toString(16).padStart(32, '0'), kind: 'vuln', rule: `GHSA-${(i % 5000).toString(36)}-xxxx-yyyy`, aliases: [`GHSA-${(i % 5000).toString(36)}-xxxx-yyyy`, `CVE-2024-${i % 9000}`],
      severity: SEVERITIES[i % 4]!, score: 5 + (i % 50) / 10, ecosystem: 'npm', package: `pkg-${i % 20000}`, version: `1.${i % 40}.0`,
      fixedIn: [`1.${i % 40}.1`], path: `services/svc-${i % 500}/package-lock.json`,
    }
  })
}

const children = new Set<ChildProcess>()
/** Lines the children wrote to stderr that name a session's end code (`…: flow-control: …`), counted by code. */
export const childErrors = new Map<string, number>()
// An interrupted bench leaves no hub or server behind.
process.on('exit', () => { for (const c of children) c.kill('SIGKILL') })
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130))

/** Spawns a Node child and resolves with the first stdout line matching `ready`. */
export function child(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<{ proc: ChildProcess, match: RegExpExecArray }> {
  const proc = spawn(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(proc)
  let rest = ''
  proc.stderr!.on('data', (d: Buffer) => {
    const lines = (rest + d).split('\n')
    rest = lines.pop()!
    for (const line of lines) {
      const code = /^zt hub: session with \S+: ([a-z0-9-]+):/.exec(line)?.[1]
      if (code) childErrors.set(code, (childErrors.get(code) ?? 0) + 1)
      // The hub's start-up hint about its first operator is not news here.
      else if (!/setup token/.test(line)) process.stderr.write(line + '\n')
    }
  })
  proc.once('exit', () => children.delete(proc))
  return new Promise((done, fail) => {
    let out = ''
    const onData = (d: Buffer) => {
      out += d
      const m = ready.exec(out)
      if (m) { proc.stdout!.off('data', onData); proc.stdout!.resume(); done({ proc, match: m }) }
    }
    proc.stdout!.on('data', onData)
    proc.once('exit', (code) => fail(new Error(`${args.join(' ')} exited ${code} before it was ready: ${out}`)))
  })
}

export async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return
  const exited = new Promise((r) => proc.once('exit', r))
  proc.kill('SIGTERM')
  await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))])
  if (proc.exitCode === null) proc.kill('SIGKILL')
}

/** VmRSS and VmHWM (peak) of a process, in MB. */
export async function rssOf(pid: number): Promise<{ rss: number, peak: number }> {
  const s = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)![1]) / 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}

/**
 * Waits until a process uses under 10 % of a core over 500 ms (at most `maxMs`): the hub
 * indexes what it received after acking it, and a round should not time that backlog.
 */
export async function settle(pid: number, maxMs = 60_000): Promise<number> {
  const ticks = async () => { const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' '); return Number(f[11]) + Number(f[12]) }
  const t0 = performance.now()
  for (;;) {
    const a = await ticks()
    await new Promise((r) => setTimeout(r, 500))
    if ((await ticks()) - a <= 5 || performance.now() - t0 > maxMs) return performance.now() - t0
  }
}

export interface HubProcess { proc: ChildProcess, addr: string }

/** The real hub (`zt hub start`) over `home`, in a child process. HUB_NODE_OPTIONS adds node flags (--cpu-prof). */
export async function startHubProcess(home: string): Promise<HubProcess> {
  const nodeArgs = (process.env.HUB_NODE_OPTIONS ?? '').split(' ').filter(Boolean)
  const { proc, match } = await child([join(ROOT, 'bin/zt.js'), 'hub', 'start', '--data', join(home, `hub-${Date.now()}`), '--listen', '/ip4/127.0.0.1/tcp/0', '--http', '0'],
    /^libp2p (\/ip4\/127\.0\.0\.1\/\S+)$/m, { ZT_HOME: home, ZT_PASSPHRASE: PASS }, nodeArgs)
  return { proc, addr: match[1]! }
}

/**
 * An agent as `zt agent run` builds it: its key, its LevelDB store, a certificate from the
 * tenant root, its replica; `peer()` makes a fresh libp2p node for it (one per connection in
 * the reconnect rounds), whose sessions report acks to `acked`.
 */
export class BenchAgent {
  readonly identity: AgentIdentity
  readonly author: Author
  readonly store: AgentStore
  readonly cert: Certificate
  readonly replica: Replica
  readonly doc: string
  readonly dir: string
  /** The hub's highest ack on our findings doc. */
  acked = 0
  #waiters: { seq: number, done: () => void }[] = []
  mesh: MeshPeer | undefined

  private constructor(dir: string, identity: AgentIdentity, store: AgentStore, cert: Certificate, replica: Replica) {
    this.dir = dir
    this.identity = identity
    this.author = { peerId: identity.peerId, seed: identity.seed }
    this.store = store
    this.cert = cert
    this.replica = replica
    this.doc = findingsDoc(identity.peerId)
  }

  static async create(root: TenantRoot, serial: number): Promise<BenchAgent> {
    const dir = await mkdtemp(join(tmpdir(), 'zt-bench-sync-agent-'))
    const identity = await createAgentKey(dir)
    const store = await AgentStore.open(dir)
    const now = Date.now()
    const cert = issueCertificate(root, { subject: identity.peerId, name: `bench-${serial}`, roles: ['agent'], serial, notBefore: now - 60_000, notAfter: now + 86_400_000 })
    return new BenchAgent(dir, identity, store, cert, await openAgentReplica(store, identity, cert))
  }

  async head(): Promise<number> {
    return (await this.store.log.head(this.doc, this.identity.peerId))?.seq ?? 0
  }

  /** Resolves once the hub acked `seq` (or more) of our findings doc. */
  ackOf(seq: number): Promise<void> {
    if (this.acked >= seq) return Promise.resolve()
    return new Promise((done) => this.#waiters.push({ seq, done }))
  }

  async startPeer(): Promise<MeshPeer> {
    const tenant = this.cert.body.tenant
    const peer = new MeshPeer({
      privateKey: peerPrivateKey(this.identity), role: 'agent', listen: [],
      replicaOf: (t) => (t === tenant ? this.replica : undefined),
      certificatesFor: (t) => (t === tenant ? [this.cert.bytes] : []),
      tenants: () => [tenant],
      onSession: (s, event) => {
        if (event !== 'open') return
        s.onAck((acks) => {
          for (const a of acks) if (a.doc === this.doc && a.author === this.identity.peerId && a.seq > this.acked) this.acked = a.seq
          this.#waiters = this.#waiters.filter((w) => (w.seq <= this.acked ? (w.done(), false) : true))
        })
      },
    })
    await peer.start()
    this.mesh = peer
    return peer
  }

  async stopPeer(): Promise<void> {
    await this.mesh?.stop()
    this.mesh = undefined
  }

  async close(): Promise<void> {
    await this.stopPeer()
    await this.store.close().catch(() => {})
    await rm(this.dir, { recursive: true, force: true })
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!
}

export function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 0.5)
}
