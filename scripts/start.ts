// npm start: the whole system on embedded defaults, in one process. A hub serving a demo
// tenant, and a local agent enrolled with a certificate of that tenant, scanning the demo
// tree (vulnerable lockfiles, a planted fake secret) against the bundled advisories and
// syncing to the hub over libp2p on loopback. Never prompts: the demo tenant's passphrase is
// generated once and kept in the home (demo only; real tenants are made with
// `zt tenant create`). Respects ZT_HOME (default ~/.zerotrace); ZT_HTTP_PORT and
// ZT_P2P_PORT move the hub off 7400/7401 (0 picks free ports).
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  createAgentKey, createRevocationList, createTenantRoot, issueCertificate, listTenants, loadAgentKey, nextSerial, openTenantRoot,
  parseArmoredCertificate, recordIssued, writePrivateFile, writeRevocationList, armorCertificate,
} from '../keys/index.ts'
import { startHub, DEFAULT_HTTP_PORT, DEFAULT_P2P_PORT } from '../hub/index.ts'
import { createAgent } from '../node/index.ts'
import { runCli } from '../cli/run.ts'
import type { CliContext } from '../cli/command.ts'

const TENANT = 'demo'
const here = import.meta.dirname
const home = process.env.ZT_HOME ? resolve(process.env.ZT_HOME) : join(homedir(), '.zerotrace')
const out = (line = '') => process.stdout.write(line + '\n')
const stop = new AbortController()
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort())

// 1. The demo tenant and its passphrase (generated once, 0600, demo only).
const passFile = join(home, 'demo-passphrase')
let passphrase = existsSync(passFile) ? (await readFile(passFile, 'utf8')).trim() : ''
if (!(await listTenants(home)).includes(TENANT)) {
  passphrase = randomBytes(24).toString('base64url')
  await writePrivateFile(passFile, passphrase + '\n')
  await createTenantRoot(home, TENANT, passphrase)
  await writeRevocationList(home, TENANT, createRevocationList(await openTenantRoot(home, TENANT, passphrase), undefined, []))
  out(`created the demo tenant '${TENANT}' in ${home} (its passphrase is in ${passFile}: demo only)`)
}

// 2. The local agent: key, a certificate of the demo tenant, the bundled advisories.
const agentDir = join(home, 'demo-agent')
const identity = existsSync(join(agentDir, 'agent.key')) ? await loadAgentKey(agentDir) : await createAgentKey(agentDir)
const certFile = join(agentDir, 'agent.cert')
const held = existsSync(certFile) ? parseArmoredCertificate(await readFile(certFile, 'utf8')) : undefined
if (!held || held.body.notAfter < Date.now() + 86_400_000) {
  const root = await openTenantRoot(home, TENANT, passphrase)
  const now = Date.now()
  const cert = issueCertificate(root, { subject: identity.peerId, name: 'demo-agent', roles: ['agent'], serial: await nextSerial(home, TENANT), notBefore: now, notAfter: now + 90 * 86_400_000 })
  await recordIssued(home, TENANT, cert)
  await writePrivateFile(certFile, armorCertificate(cert))
}
const ctx: CliContext = { cwd: process.cwd(), env: { ...process.env, ZT_HOME: home }, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signal: stop.signal }
if (!existsSync(join(agentDir, 'db', 'CURRENT'))) {
  const code = await runCli(['db', 'import', join(here, 'demo/advisories.jsonl'), '--db', join(agentDir, 'db'), '--json'], { ...ctx, stdout: { write: () => true } as unknown as CliContext['stdout'] })
  if (code !== 0) process.exit(code)
}

// 3. The web UI, built once (web/dist is not in the repository), then the hub serving it and the agent syncing to it.
if (!existsSync(join(here, '../web/dist/index.html'))) {
  out('building the web UI (once)…')
  const { execFileSync } = await import('node:child_process')
  execFileSync(process.execPath, [join(here, '../node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: join(here, '..'), stdio: 'inherit' })
}
const port = (name: string, fallback: number) => (process.env[name] !== undefined ? Number(process.env[name]) : fallback)
const hub = await startHub({
  home, passphrase, listen: [`/ip4/${process.env.ZT_P2P_HOST ?? '127.0.0.1'}/tcp/${port('ZT_P2P_PORT', DEFAULT_P2P_PORT)}`], httpPort: port('ZT_HTTP_PORT', DEFAULT_HTTP_PORT),
  log: (line) => { if (!/^tenant .*: not served|setup token/.test(line)) process.stderr.write(`hub: ${line}\n`) },
})
// The hub's own advisory DB gets the bundled advisories too (a finding's detail shows them),
// and hands them to its agents over the mesh.
if ((await hub.hubDb.status()).advisories.total === 0) {
  const demo = join(here, 'demo/advisories.jsonl')
  await hub.hubDb.importAdvisories([demo])
  await hub.publishAdvisories((await readFile(demo, 'utf8')).trim().split('\n'))
}

// A demo login (admin of the demo tenant), made once, its password kept beside the passphrase.
const loginFile = join(home, 'demo-login')
if (!hub.auth.users.list().some((u) => u.name === 'demo')) {
  const password = randomBytes(12).toString('base64url')
  await hub.auth.users.create({ name: 'demo', password, roles: { [TENANT]: 'admin' } })
  await writePrivateFile(loginFile, `demo ${password}\n`)
}
const login = existsSync(loginFile) ? (await readFile(loginFile, 'utf8')).trim().split(' ') : ['demo', '(see zt hub user)']
const tree = join(here, 'demo/tree')
const agent = await createAgent(
  { dataDir: agentDir, roots: [tree], intervalMs: 15 * 60_000, mesh: { hub: hub.multiaddrs()[0]! } },
  { log: (line) => { if (/scan:|mesh: connected/.test(line)) process.stderr.write(`agent: ${line}\n`) } },
)
await agent.start()

// 4. Wait for the agent's findings at the hub, then say where to look.
const token = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
let count = 0
for (let i = 0; i < 100 && count === 0 && !stop.signal.aborted; i++) {
  await new Promise((r) => setTimeout(r, 100))
  const res = await fetch(`${hub.url}/api/v1/tenants/${TENANT}/findings?limit=500`, { headers: { authorization: `Bearer ${token}` } })
  count = ((await res.json()) as { findings: unknown[] }).findings.length
}
out()
out(`ZeroTrace is running: a hub (${hub.peerId}) and a demo agent scanning ${tree}`)
out(`  ${count} findings from the agent reached the hub over libp2p`)
out(`  UI       ${hub.url}/`)
out(`  login    ${login[0]} / ${login[1]}   (demo only; kept in ${loginFile})`)
out(`  API      ${hub.url}/api/v1/tenants/${TENANT}/findings  (Authorization: Bearer <${join(home, 'operator.token')}>)`)
out(`  libp2p   ${hub.multiaddrs().join('\n           ')}`)
out(`  try      ZT_HOME=${home} npx zt hub findings --tenant ${TENANT}`)
out(`           ZT_HOME=${home} npx zt hub agents --tenant ${TENANT}`)
out('Ctrl-C stops both.')
await new Promise<void>((r) => stop.signal.addEventListener('abort', () => r(), { once: true }))
await agent.stop()
await hub.stop()
