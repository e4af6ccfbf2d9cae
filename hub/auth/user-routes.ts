// Users, tenant members and API tokens over the API. The operator manages users; a tenant
// admin grants roles on that tenant only (in the path, checked by Routes, or in a body,
// checked here the same way: no role there reads as no such tenant); everyone manages their
// own API tokens, the operator all.
import type { Context } from 'hono'
import { roleAtLeast, type Principal } from '../api/access.ts'
import { apiError } from '../api/errors.ts'
import type { ApiEnv, Routes } from '../api/route.ts'
import { asApi, objectBody } from './api-edge.ts'
import type { HubAuth } from './hub-auth.ts'
import { checkPasswordPolicy } from './password.ts'
import { checkRoles, checkUserName, isRole } from './users.ts'

export interface UserRoutesComponents {
  /** Whether the hub serves this tenant. */
  hasTenant: (tenant: string) => boolean
}

export function userRoutes(routes: Routes, auth: HubAuth, { hasTenant }: UserRoutesComponents): void {
  const tenantParam = (c: Context<ApiEnv>) => {
    const t = c.req.param('tenant')!
    if (!hasTenant(t)) apiError(404, 'unknown-tenant', 'no such tenant')
    return t
  }
  /** The same answer Routes gives for a tenant named in a path, for one named in a body. */
  const mayAdminister = (p: Principal, tenant: string) => {
    if (!hasTenant(tenant) || !(p.operator || p.roles[tenant])) apiError(404, 'unknown-tenant', 'no such tenant')
    if (!p.operator && !roleAtLeast(p.roles[tenant], 'admin')) apiError(403, 'forbidden', 'this needs the admin role on the tenant')
  }
  const userParam = (c: Context<ApiEnv>) => {
    const name = c.req.param('name')!
    if (!auth.users.get(name)) apiError(404, 'unknown-user', `no user ${name}`)
    return name
  }

  routes.add('GET', '/users', { kind: 'operator' }, 'every user with their roles', (c) => c.json({ users: auth.users.list() }))

  routes.add('POST', '/users', { kind: 'authenticated' }, 'add a user {name, password, operator?, roles?: {tenant: role}}: the operator any, a tenant admin with roles on their tenants only', async (c) => {
    const p = c.get('principal')!
    const body = await objectBody(c)
    // The body is checked whole first, so a bad one is a 400 whoever sends it.
    const roles = await asApi(async () => { checkUserName(body.name); checkPasswordPolicy(body.password); return checkRoles(body.roles) })
    if (!p.operator) {
      if (body.operator === true) apiError(403, 'forbidden', 'only the operator makes operators')
      if (Object.keys(roles).length === 0) apiError(403, 'forbidden', 'a tenant admin adds users with a role on their tenant')
    }
    for (const t of Object.keys(roles)) mayAdminister(p, t)
    return c.json({ user: await asApi(() => auth.users.create({ name: body.name, password: body.password, operator: body.operator, roles })) }, 201)
  })

  routes.add('PATCH', '/users/:name', { kind: 'operator' }, 'change a user {operator?, password?}', async (c) => {
    const name = userParam(c)
    const body = await objectBody(c)
    if (body.operator !== undefined && typeof body.operator !== 'boolean') apiError(400, 'bad-request', 'operator: true or false')
    if (body.password !== undefined) {
      await asApi(() => auth.users.setPassword(name, body.password))
      await auth.sessions.deleteUser(name)
    }
    const user = await asApi(() => auth.users.update(name, (u) => ({ ...u, operator: typeof body.operator === 'boolean' ? body.operator : u.operator })))
    return c.json({ user })
  })

  routes.add('DELETE', '/users/:name', { kind: 'operator' }, 'remove a user, their sessions and their API tokens', async (c) => {
    await auth.deleteUser(userParam(c))
    return c.json({ ok: true })
  })

  routes.add('GET', '/tenants/:tenant/members', { kind: 'tenant', role: 'admin' }, 'users with a role on the tenant', (c) => {
    const t = tenantParam(c)
    return c.json({ members: auth.users.list().filter((u) => u.roles[t]).map((u) => ({ name: u.name, role: u.roles[t] })) })
  })

  routes.add('PUT', '/tenants/:tenant/members/:name', { kind: 'tenant', role: 'admin' }, 'give a user a role on the tenant {role: viewer|analyst|admin}', async (c) => {
    const t = tenantParam(c)
    const body = await objectBody(c)
    if (!isRole(body.role)) apiError(400, 'bad-request', 'role: viewer, analyst or admin')
    const role = body.role
    const name = userParam(c)
    const user = await asApi(() => auth.users.update(name, (u) => ({ ...u, roles: { ...u.roles, [t]: role } })))
    return c.json({ name: user.name, role: user.roles[t] })
  })

  routes.add('DELETE', '/tenants/:tenant/members/:name', { kind: 'tenant', role: 'admin' }, 'take a user\'s role on the tenant away', async (c) => {
    const t = tenantParam(c)
    const name = userParam(c)
    await asApi(() => auth.users.update(name, (u) => { const roles = { ...u.roles }; delete roles[t]; return { ...u, roles } }))
    return c.json({ ok: true })
  })

  routes.add('GET', '/tokens', { kind: 'authenticated' }, 'API tokens: one\'s own; the operator\'s list holds all', (c) => {
    const p = c.get('principal')!
    return c.json({ tokens: auth.tokens.list(p.operator ? undefined : p.user) })
  })

  routes.add('POST', '/tokens', { kind: 'authenticated' }, 'make an API token {name, owner?}; the token is shown this once', async (c) => {
    const p = c.get('principal')!
    const body = await objectBody(c)
    const owner = body.owner ?? p.user
    if (typeof owner !== 'string') apiError(400, 'bad-request', 'owner: the user the token acts as (the operator token is no user)')
    if (owner !== p.user && !p.operator) apiError(403, 'forbidden', 'only the operator makes tokens for others')
    if (!auth.users.get(owner)) apiError(404, 'unknown-user', `no user ${owner}`)
    const { token, view } = await asApi(() => auth.tokens.create(owner, body.name))
    return c.json({ ...view, token }, 201)
  })

  routes.add('DELETE', '/tokens/:id', { kind: 'authenticated' }, 'revoke an API token (one\'s own; the operator any)', async (c) => {
    const p = c.get('principal')!
    const t = auth.tokens.byId(c.req.param('id')!)
    // Someone else's token reads as none, so ids cannot be probed.
    if (!t || (!p.operator && t.owner !== p.user)) apiError(404, 'unknown-token', 'no such token')
    await auth.tokens.revoke(t.id)
    return c.json({ ok: true })
  })
}
