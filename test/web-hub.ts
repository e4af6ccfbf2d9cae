// A hub in-process for the web UI's end-to-end test and benchmark: a home with tenants, the
// hub serving the built UI, and test agents syncing findings to it over the mesh.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { createTenantRoot, openTenantRoot } from '../keys/index.ts'
import type { Finding } from '../crdt/index.ts'
import { startHub, type Hub } from '../hub/index.ts'
import { testAgent, type TestAgent } from '../hub/hub.test-data.ts'

export const PASS = 'web-test-passphrase'
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'

export interface WebHub { hub: Hub, home: string, token: string, agent(tenant: string, name: string): Promise<TestAgent>, close(): Promise<void> }

/** Builds web/dist (Vite, the repo's vite.config.ts). */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite')
  await build({ configFile: join(import.meta.dirname, '../vite.config.ts'), root: join(import.meta.dirname, '../web'), logLevel: 'warn' })
}

export async function startWebHub(tenants: string[]): Promise<WebHub> {
  const home = await mkdtemp(join(tmpdir(), 'zt-web-'))
  for (const t of tenants) await createTenantRoot(home, t, PASS)
  const hub = await startHub({ home, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0 })
  const token = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
  const agents: TestAgent[] = []
  let serial = 100
  return {
    hub, home, token,
    async agent(tenant, name) {
      const a = await testAgent(await openTenantRoot(home, tenant, PASS), name, serial++)
      agents.push(a)
      a.peer.connect(hub.multiaddrs()[0]!)
      return a
    },
    async close() {
      for (const a of agents) await a.close().catch(() => {})
      await hub.stop()
      await rm(home, { recursive: true, force: true })
    },
  }
}

const SEV = ['critical', 'high', 'medium', 'low', 'unknown'] as const
const PKGS = ['lodash', 'minimist', 'express', 'axios', 'jsonwebtoken', 'requests', 'django', 'log4j-core', 'openssl', 'golang.org/x/net']

/** A plausible finding, deterministic in `i` (ids are 32 hex digits like fingerprints). */
export function sampleFinding(i: number, over: Partial<Finding> = {}): Finding {
  const id = createHash('sha256').update(`finding-${i}-${over.title ?? ''}`).digest('hex').slice(0, 32)
  const kind = i % 17 === 0 ? 'secret' : i % 23 === 0 ? 'config' : 'vuln'
  const pkg = PKGS[i % PKGS.length]!
  return {
    id, kind, severity: SEV[i % SEV.length]!, rule: kind === 'vuln' ? `GHSA-${(1000 + (i % 900)).toString(36)}-test-${i % 97}` : kind === 'secret' ? 'github-pat' : 'docker-root-user',
    title: kind === 'vuln' ? `Prototype pollution in ${pkg} (${i})` : kind === 'secret' ? 'GitHub personal access token' : 'Container runs as root',
    ...(kind === 'vuln' ? { ecosystem: i % 3 === 0 ? 'PyPI' : 'npm', package: pkg, version: `1.${i % 10}.${i % 7}`, fixedIn: [`1.${(i % 10) + 1}.0`], score: 3 + (i % 70) / 10 } : {}),
    path: kind === 'secret' ? `.env.${i % 5}` : `services/svc-${i % 40}/package-lock.json`, line: kind === 'secret' ? 3 : undefined,
    evidence: kind === 'secret' ? 'ghp_****abcd' : undefined, firstSeen: Date.now() - (i % 30) * 86_400_000,
    ...over,
  } as Finding
}

/** Polls until `fn` is truthy (or throws after `ms`). */
export async function until<T>(fn: () => Promise<T> | T, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * An authenticating reverse proxy in front of the hub, as a deployment behind an SSO proxy
 * has: it adds the bearer token to every request and WebSocket upgrade. A browser can't put
 * a header on a WebSocket, so this is how a test (or the bench) sees the live /sync path
 * until session cookies do it.
 */
export async function authProxy(target: string, token: string): Promise<{ url: string, close(): Promise<void> }> {
  const http = await import('node:http')
  const net = await import('node:net')
  const t = new URL(target)
  const server = http.createServer((req, res) => {
    const up = http.request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: { ...req.headers, authorization: `Bearer ${token}` } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    })
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  server.on('upgrade', (req, socket, head) => {
    const up = net.connect(Number(t.port), t.hostname, () => {
      const headers = { ...req.headers, authorization: `Bearer ${token}` }
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`)
      up.write(head)
      up.pipe(socket)
      socket.pipe(up)
    })
    const end = () => { up.destroy(); socket.destroy() }
    up.on('error', end)
    socket.on('error', end)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
}
