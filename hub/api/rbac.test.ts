// The RBAC matrix: every route the hub's API registers (Routes.specs, so routes added later
// are walked too) × every kind of caller × a tenant of theirs, someone else's, and none.
// Anonymous gets 401; a tenant the caller has no role on is indistinguishable from an unknown
// one (404 unknown-tenant); too low a role is 403; everything else gets past the gate.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { createTenantRoot, openTenantRoot } from '../../keys/index.ts'
import { testAgent, type TestAgent } from '../hub.test-data.ts'
import { startHub, type Hub } from '../hub.ts'
import { createHttpApp } from '../http.ts'
import { ANONYMOUS, call, errorCode, login, type Caller } from '../auth/auth.test-client.ts'
import type { Access, TenantRole } from './access.ts'
import type { ApiEnv, RouteSpec, Routes } from './route.ts'

const PASS = 'rbac-test-passphrase'
const PW = 'rbac test password'
const A = 'acme'
const B = 'globex'
const UNKNOWN = 'initech'

interface Who { label: string, user?: string, operator: boolean, roles: Record<string, TenantRole>, caller: Caller }

let home: string
let hub: Hub
let operatorToken: string
let registry: { app: Hono<ApiEnv>, routes: Routes }
const who: Who[] = []
let agentB: TestAgent | undefined
/** Ids that exist in tenant B only: its agent, its finding, its webhook. */
const idsOfB: Record<string, string> = {}

async function refresh(w: Who): Promise<void> {
  if (w.caller.kind === 'session' && w.user) w.caller = await login(hub.url, w.user, PW)
  if (w.caller.kind === 'bearer' && w.user) w.caller = { kind: 'bearer', token: (await hub.auth.tokens.create(w.user, 'rbac')).token }
}

/** Whether the caller still authenticates (a route under test may have ended its session). */
async function stillIn(w: Who): Promise<boolean> {
  if (w.caller.kind === 'anonymous' || !w.user) return true
  return (await call(hub.url, w.caller, 'GET', '/api/v1/auth/me')).status === 200
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-rbac-'))
  for (const t of [A, B]) await createTenantRoot(home, t, PASS)
  hub = await startHub({ home, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0 })
  operatorToken = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
  // The same registry the hub serves: createHttpApp is the one place routes are added.
  registry = createHttpApp(hub, operatorToken, () => {})
  const users: [string, boolean, Record<string, TenantRole>][] = [
    ['a-viewer', false, { [A]: 'viewer' }], ['a-analyst', false, { [A]: 'analyst' }], ['a-admin', false, { [A]: 'admin' }],
    ['b-admin', false, { [B]: 'admin' }], ['op', true, {}],
  ]
  for (const [name, operator, roles] of users) await hub.auth.users.create({ name, password: PW, operator, roles })
  who.push({ label: 'anonymous', operator: false, roles: {}, caller: ANONYMOUS })
  for (const [name, operator, roles] of users) who.push({ label: `${name} (session)`, user: name, operator, roles, caller: await login(hub.url, name, PW) })
  who.push({ label: 'operator token', operator: true, roles: {}, caller: { kind: 'bearer', token: operatorToken } })
  who.push({ label: 'a-viewer (API token)', user: 'a-viewer', operator: false, roles: { [A]: 'viewer' }, caller: { kind: 'bearer', token: (await hub.auth.tokens.create('a-viewer', 'ci')).token } })
}, 60_000)
afterAll(async () => {
  await agentB?.close()
  await hub?.stop()
  await rm(home, { recursive: true, force: true })
})

/** Written out here, not taken from access.ts, so a broken ordering there cannot agree with itself. */
const RANK: Record<TenantRole, number> = { viewer: 1, analyst: 2, admin: 3 }

type Expect = 'unauthorized' | 'unknown-tenant' | 'forbidden' | 'allowed'

function expected(access: Access, w: Who, tenant: string | undefined): Expect {
  if (access.kind === 'public') return 'allowed'
  if (w.caller.kind === 'anonymous') return 'unauthorized'
  if (tenant === UNKNOWN) return 'unknown-tenant'
  if (access.kind === 'authenticated') return 'allowed'
  if (access.kind === 'operator') return w.operator ? 'allowed' : 'forbidden'
  if (w.operator) return 'allowed'
  if (!tenant || !w.roles[tenant]) return 'unknown-tenant'
  return RANK[w.roles[tenant]!] >= RANK[access.role] ? 'allowed' : 'forbidden'
}

/** A path with its parameters filled: the tenant as asked, others with values that name nothing. */
function pathOf(spec: RouteSpec, tenant: string | undefined): string {
  const fill: Record<string, string> = { format: 'json' }
  return '/api/v1' + spec.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(name === 'tenant' ? tenant! : fill[name] ?? 'zz-none'))
}

async function outcome(res: Response): Promise<Expect> {
  const code = await errorCode(res)
  if (res.status === 401) return 'unauthorized'
  if (res.status === 403) return 'forbidden'
  if (res.status === 404 && code === 'unknown-tenant') return 'unknown-tenant'
  return 'allowed'
}

describe('RBAC matrix', () => {
  it('walks every registered route × caller × tenant', async () => {
    const specs = registry.routes.specs
    expect(specs.length).toBeGreaterThan(20)
    const mismatches: string[] = []
    let checked = 0
    for (const spec of specs) {
      const tenants = spec.path.includes(':tenant') ? [A, B, UNKNOWN] : [undefined]
      for (const w of who) {
        for (const tenant of tenants) {
          const path = pathOf(spec, tenant)
          const res = await call(hub.url, w.caller, spec.method, path, { body: spec.method === 'GET' || spec.method === 'DELETE' ? undefined : {} })
          const got = await outcome(res)
          const want = expected(spec.access, w, tenant)
          checked++
          if (got !== want) mismatches.push(`${spec.method} ${path} as ${w.label}: want ${want}, got ${res.status} ${await errorCode(res) ?? ''}`)
          if (res.status === 500) mismatches.push(`${spec.method} ${path} as ${w.label}: 500`)
          if (!(await stillIn(w))) await refresh(w)
        }
      }
    }
    expect(mismatches).toEqual([])
    expect(checked).toBeGreaterThan(specs.length * who.length)
  }, 120_000)

  it('a tenant id in a body gets the same answers as one in a path', async () => {
    const by = (label: string) => who.find((w) => w.label === label)!.caller
    const admin = by('a-admin (session)')
    const add = (caller: Caller, body: Record<string, unknown>) => call(hub.url, caller, 'POST', '/api/v1/users', { body: { password: PW, ...body } })
    const cases: [Caller, Record<string, unknown>, number, string | undefined][] = [
      [admin, { name: 'eve1', roles: { [B]: 'viewer' } }, 404, 'unknown-tenant'],
      [admin, { name: 'eve2', roles: { [A]: 'viewer', [B]: 'viewer' } }, 404, 'unknown-tenant'],
      [admin, { name: 'eve3', roles: { [UNKNOWN]: 'viewer' } }, 404, 'unknown-tenant'],
      [admin, { name: 'eve4', roles: { [A]: 'admin' }, operator: true }, 403, 'forbidden'],
      [admin, { name: 'eve5' }, 403, 'forbidden'],
      [by('a-analyst (session)'), { name: 'eve6', roles: { [A]: 'viewer' } }, 403, 'forbidden'],
      [by('b-admin (session)'), { name: 'eve7', roles: { [A]: 'viewer' } }, 404, 'unknown-tenant'],
      [by('a-viewer (API token)'), { name: 'eve8', roles: { [A]: 'viewer' } }, 403, 'forbidden'],
      [by('operator token'), { name: 'eve9', roles: { [UNKNOWN]: 'viewer' } }, 404, 'unknown-tenant'],
    ]
    for (const [caller, body, status, code] of cases) {
      const res = await add(caller, body)
      expect([body.name, res.status, await errorCode(res)]).toEqual([body.name, status, code])
      expect(hub.auth.users.get(body.name as string)).toBeUndefined()
    }
    const ok = await add(admin, { name: 'eve', roles: { [A]: 'analyst' } })
    expect(ok.status).toBe(201)
    expect(hub.auth.users.get('eve')!.roles).toEqual({ [A]: 'analyst' })

    // Granting on another tenant through the path: the tenant B admin cannot touch A.
    const grant = await call(hub.url, by('b-admin (session)'), 'PUT', `/api/v1/tenants/${A}/members/eve`, { body: { role: 'admin' } })
    expect([grant.status, await errorCode(grant)]).toEqual([404, 'unknown-tenant'])
    const grantB = await call(hub.url, admin, 'PUT', `/api/v1/tenants/${B}/members/eve`, { body: { role: 'viewer' } })
    expect([grantB.status, await errorCode(grantB)]).toEqual([404, 'unknown-tenant'])
    expect(hub.auth.users.get('eve')!.roles).toEqual({ [A]: 'analyst' })
    // A's member list shows A's roles only, never what users hold elsewhere.
    await call(hub.url, by('b-admin (session)'), 'PUT', `/api/v1/tenants/${B}/members/eve`, { body: { role: 'viewer' } })
    const members = await (await call(hub.url, admin, 'GET', `/api/v1/tenants/${A}/members`)).json() as { members: { name: string, role: string }[] }
    expect(members.members).toContainEqual({ name: 'eve', role: 'analyst' })
    expect(JSON.stringify(members)).not.toContain(B)

    // Another user's token id: not found, and the token still works.
    const other = await hub.auth.tokens.create('b-admin', 'b-ci')
    const del = await call(hub.url, admin, 'DELETE', `/api/v1/tokens/${other.view.id}`)
    expect([del.status, await errorCode(del)]).toEqual([404, 'unknown-token'])
    expect((await call(hub.url, { kind: 'bearer', token: other.token }, 'GET', '/api/v1/auth/me')).status).toBe(200)
  })
})

/** API routes the app serves that were not registered through Routes (so have no declared access). */
function unregistered(app: Hono<ApiEnv>, routes: Routes): string[] {
  const declared = new Set(routes.specs.map((s) => `${s.method} /api/v1${s.path}`))
  return app.routes
    .filter((r) => r.path.startsWith('/api/v1'))
    // Middleware (`use('*')`) is registered as ALL on a wildcard; a handler on ALL is a route.
    .filter((r) => !(r.method === 'ALL' && r.path.endsWith('*')))
    .map((r) => `${r.method} ${r.path}`)
    .filter((r) => !declared.has(r))
}

describe('another tenant\'s ids in paths', () => {
  beforeAll(async () => {
    const op: Caller = { kind: 'bearer', token: operatorToken }
    agentB = await testAgent(await openTenantRoot(home, B, PASS), 'b-build', 700)
    await agentB.write([{ id: 'b'.repeat(32), kind: 'vuln', rule: 'GHSA-bbbb', severity: 'high', ecosystem: 'npm', package: 'left-pad', version: '1.0.0', path: 'package-lock.json', firstSeen: 1 }])
    agentB.peer.connect(hub.multiaddrs()[0]!)
    let findings: { id: string }[] = []
    for (let i = 0; i < 200 && findings.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50))
      findings = ((await (await call(hub.url, op, 'GET', `/api/v1/tenants/${B}/findings`)).json()) as { findings: { id: string }[] }).findings
    }
    idsOfB.finding = findings[0]!.id
    idsOfB.agent = agentB.peerId
    const hook = await call(hub.url, op, 'POST', `/api/v1/tenants/${B}/webhooks`, { body: { url: 'http://127.0.0.1:9/hook', events: ['agent.revoked'] } })
    idsOfB.webhook = ((await hook.json()) as { webhook: { id: string } }).webhook.id
  }, 30_000)

  it('never reach tenant B\'s things through tenant A, even as the operator; they do through B', async () => {
    const op: Caller = { kind: 'bearer', token: operatorToken }
    // Parameters that name a thing (not :tenant, not a choice such as :format).
    const withIds = registry.routes.specs.filter((s) => s.path.includes(':tenant') && /:(?!(tenant|format)\b)\w+/.test(s.path))
    expect(withIds.length).toBeGreaterThan(3)
    const leaks: string[] = []
    const reachedInB = new Set<string>()
    for (const spec of withIds) {
      for (const [kind, id] of Object.entries(idsOfB)) {
        const fill = (tenant: string) => '/api/v1' + spec.path.replace(/:(\w+)/g, (_, name: string) => (name === 'tenant' ? tenant : name === 'format' ? 'json' : encodeURIComponent(id)))
        const body = spec.method === 'GET' || spec.method === 'DELETE' ? undefined : {}
        const res = await call(hub.url, op, spec.method, fill(A), { body })
        if (res.ok) leaks.push(`${spec.method} ${fill(A)} (${kind} of ${B}): ${res.status}`)
        if (spec.method === 'GET' && (await call(hub.url, op, 'GET', fill(B))).ok) reachedInB.add(kind)
      }
    }
    expect(leaks).toEqual([])
    // The ids are real: each one is found under its own tenant by some route.
    expect([...reachedInB].sort()).toEqual(['agent', 'finding', 'webhook'])
    // And nothing done through A touched B.
    const hooks = await (await call(hub.url, op, 'GET', `/api/v1/tenants/${B}/webhooks`)).json() as { webhooks: { id: string }[] }
    expect(hooks.webhooks.map((h) => h.id)).toContain(idsOfB.webhook)
    const agents = await (await call(hub.url, op, 'GET', `/api/v1/tenants/${B}/agents`)).json() as { agents: { id: string, revoked: boolean }[] }
    expect(agents.agents).toContainEqual(expect.objectContaining({ id: idsOfB.agent, revoked: false }))
  }, 60_000)
})

describe('every API route is declared', () => {
  it('app.routes under /api/v1 are exactly Routes.specs', () => {
    expect(unregistered(registry.app, registry.routes)).toEqual([])
    const served = new Set(registry.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))
    for (const s of registry.routes.specs) expect(served.has(`${s.method} /api/v1${s.path}`), `${s.method} ${s.path}`).toBe(true)
    const keys = registry.routes.specs.map((s) => `${s.method} ${s.path}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('the check catches a route added beside Routes', () => {
    const { app, routes } = createHttpApp(hub, operatorToken, () => {})
    app.get('/api/v1/backdoor', (c) => c.text('hi'))
    app.all('/api/v1/anything', (c) => c.text('hi'))
    expect(unregistered(app, routes)).toEqual(['GET /api/v1/backdoor', 'ALL /api/v1/anything'])
  })
})
