// `zt hub user …` and `zt hub token …`: hub accounts and API tokens. With a running hub they
// go through its API with the operator token from the home; with the hub stopped, straight
// into its store (that is how the first operator is made without the setup token).
// Passwords come from ZT_PASSWORD or a prompt, never from arguments (they would sit in
// shell history and `ps`).
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { listTenants, readPassphrase } from '../../keys/index.ts'
import type { UserView, TokenView, HubAuth } from '../../hub/index.ts'
import { homeDir, optionalString, printJson, println, requireString, type CliContext, type Command, type OptionValues } from '../command.ts'
import { UsageError } from '../errors.ts'
import { hubEndpoint, type Endpoint } from '../hub-endpoint.ts'
import { formatTable } from '../table.ts'

const ROLES = ['viewer', 'analyst', 'admin']
const COMMON = { data: { type: 'string' }, url: { type: 'string' } } as const
const COMMON_HELP = ['--data DIR    hub data, when the hub is stopped (default HOME/hub)', '--url URL     the running hub (default: from HOME/hub.json)']


const UNREACHABLE = Symbol('unreachable')

/** The API's answer, or UNREACHABLE when no hub answers (it is stopped: use the store). */
async function api<T>(ep: Endpoint | undefined, method: string, path: string, body?: unknown): Promise<T | typeof UNREACHABLE> {
  if (!ep) return UNREACHABLE
  let res
  try {
    res = await fetch(`${ep.url}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${ep.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    return UNREACHABLE
  }
  const out = await res.json().catch(() => undefined) as { error?: { code: string, message: string } } | undefined
  if (!res.ok) throw new UsageError(`hub: ${out?.error?.code ?? res.status}: ${out?.error?.message ?? res.statusText}`)
  return out as T
}

/** Asks the running hub, or does it on the stopped hub's store. */
async function either<T>(opts: OptionValues, ctx: CliContext, online: (ep: Endpoint | undefined) => Promise<T | typeof UNREACHABLE>, offline: (auth: HubAuth) => Promise<T>): Promise<T> {
  const answer = await online(await hubEndpoint(opts, ctx))
  if (answer !== UNREACHABLE) return answer
  const { withAuthStore, AuthError } = await import('../../hub/index.ts')
  const data = optionalString(opts, 'data')
  try {
    return await withAuthStore(homeDir(opts, ctx), data ? resolve(ctx.cwd, data) : undefined, offline)
  } catch (err) {
    if (err instanceof AuthError) throw new UsageError(`${err.code}: ${err.message}`)
    throw err
  }
}

async function readPassword(ctx: CliContext): Promise<string> {
  try {
    // The passphrase prompt of keys/, fed from ZT_PASSWORD: never echoed, asked twice.
    return await readPassphrase({ env: { ZT_PASSPHRASE: ctx.env.ZT_PASSWORD }, stdin: ctx.stdin, stderr: ctx.stderr, confirm: true })
  } catch (err) {
    if ((err as { code?: string }).code === 'no-passphrase') throw new UsageError('a password is needed: set ZT_PASSWORD or run on a terminal')
    throw err
  }
}

async function checkTenant(opts: OptionValues, ctx: CliContext, tenant: string): Promise<void> {
  if (!(await listTenants(homeDir(opts, ctx))).includes(tenant)) throw new UsageError(`no tenant ${tenant} in the home`)
}

function oneName(args: string[]): string {
  if (args.length !== 1) throw new UsageError('give exactly one user name')
  return args[0]!.toLowerCase()
}

export const hubUserAdd: Command = {
  path: ['hub', 'user', 'add'],
  summary: 'add a hub user: an operator, or a user with a role on a tenant',
  usage: '<name> (--operator | --tenant T --role viewer|analyst|admin) [--data DIR] [--url URL]',
  help: ['--operator    the hub-wide operator (manages tenants and users)', '--tenant T --role R   a role on a tenant', ...COMMON_HELP, 'the password comes from ZT_PASSWORD or a prompt'],
  options: { operator: { type: 'boolean' }, tenant: { type: 'string' }, role: { type: 'string' }, ...COMMON },
  positionals: true,
  async run(opts, args, ctx) {
    const name = oneName(args)
    const tenant = optionalString(opts, 'tenant')
    const role = optionalString(opts, 'role')
    if ((tenant === undefined) !== (role === undefined)) throw new UsageError('--tenant and --role go together')
    if (role !== undefined && !ROLES.includes(role)) throw new UsageError('--role: viewer, analyst or admin')
    if (!opts.operator && !tenant) throw new UsageError('give --operator, or --tenant and --role')
    if (tenant) await checkTenant(opts, ctx, tenant)
    const password = await readPassword(ctx)
    const input = { name, password, operator: opts.operator === true, roles: tenant ? { [tenant]: role } : {} }
    const user = await either(opts, ctx,
      async (ep) => { const r = await api<{ user: UserView }>(ep, 'POST', '/users', input); return r === UNREACHABLE ? r : r.user },
      (auth) => auth.users.create(input))
    if (opts.json) return printJson(ctx, user)
    println(ctx, `user ${user.name} added${user.operator ? ' (operator)' : ''}${Object.entries(user.roles).map(([t, r]) => `, ${r} of ${t}`).join('')}`)
  },
}

export const hubUserList: Command = {
  path: ['hub', 'user', 'list'],
  summary: 'list hub users and their roles',
  usage: '[--data DIR] [--url URL]',
  help: COMMON_HELP,
  options: { ...COMMON },
  async run(opts, _args, ctx) {
    const users = await either(opts, ctx,
      async (ep) => { const r = await api<{ users: UserView[] }>(ep, 'GET', '/users'); return r === UNREACHABLE ? r : r.users },
      async (auth) => auth.users.list())
    if (opts.json) return printJson(ctx, users)
    ctx.stdout.write(formatTable(['NAME', 'OPERATOR', 'ROLES', 'CREATED'], users.map((u) => [
      u.name, u.operator ? 'yes' : 'no', Object.entries(u.roles).map(([t, r]) => `${t}:${r}`).join(' ') || '-', u.created,
    ])))
  },
}

export const hubUserRole: Command = {
  path: ['hub', 'user', 'role'],
  summary: 'give a hub user a role on a tenant, or take it away (--role none)',
  usage: '<name> --tenant T --role viewer|analyst|admin|none [--data DIR] [--url URL]',
  help: COMMON_HELP,
  options: { tenant: { type: 'string' }, role: { type: 'string' }, ...COMMON },
  positionals: true,
  async run(opts, args, ctx) {
    const name = oneName(args)
    const tenant = requireString(opts, 'tenant')
    const role = requireString(opts, 'role')
    if (![...ROLES, 'none'].includes(role)) throw new UsageError('--role: viewer, analyst, admin or none')
    await checkTenant(opts, ctx, tenant)
    const path = `/tenants/${encodeURIComponent(tenant)}/members/${encodeURIComponent(name)}`
    await either(opts, ctx,
      (ep) => api(ep, role === 'none' ? 'DELETE' : 'PUT', path, role === 'none' ? undefined : { role }),
      (auth) => auth.users.update(name, (u) => {
        const roles = { ...u.roles }
        if (role === 'none') delete roles[tenant]
        else roles[tenant] = role as 'viewer'
        return { ...u, roles }
      }))
    if (opts.json) return printJson(ctx, { name, tenant, role })
    println(ctx, role === 'none' ? `${name} has no role on ${tenant}` : `${name} is ${role} of ${tenant}`)
  },
}

export const hubUserDelete: Command = {
  path: ['hub', 'user', 'delete'],
  summary: 'remove a hub user, their sessions and their API tokens',
  usage: '<name> [--data DIR] [--url URL]',
  help: COMMON_HELP,
  options: { ...COMMON },
  positionals: true,
  async run(opts, args, ctx) {
    const name = oneName(args)
    await either(opts, ctx, (ep) => api(ep, 'DELETE', `/users/${encodeURIComponent(name)}`), (auth) => auth.deleteUser(name))
    if (opts.json) return printJson(ctx, { name, deleted: true })
    println(ctx, `user ${name} removed`)
  },
}

export const hubTokenCreate: Command = {
  path: ['hub', 'token', 'create'],
  summary: 'make an API token for a user (scripts, CI); it is shown this once',
  usage: '--name N --user U [--data DIR] [--url URL]',
  help: ['--name N      what the token is for', '--user U      whose roles it carries', ...COMMON_HELP],
  options: { name: { type: 'string' }, user: { type: 'string' }, ...COMMON },
  async run(opts, _args, ctx) {
    const name = requireString(opts, 'name')
    const owner = requireString(opts, 'user').toLowerCase()
    const made = await either(opts, ctx,
      (ep) => api<TokenView & { token: string }>(ep, 'POST', '/tokens', { name, owner }),
      async (auth) => {
        const { AuthError } = await import('../../hub/index.ts')
        if (!auth.users.get(owner)) throw new AuthError('unknown-user', `no user ${owner}`)
        const { token, view } = await auth.tokens.create(owner, name)
        return { ...view, token }
      })
    if (opts.json) return printJson(ctx, made)
    println(ctx, made.token)
    ctx.stderr.write(`token ${made.id} (${made.name}) for ${made.owner}: keep it now, it is not shown again\n`)
  },
}

export const hubTokenList: Command = {
  path: ['hub', 'token', 'list'],
  summary: 'list API tokens (never their secrets)',
  usage: '[--user U] [--data DIR] [--url URL]',
  help: ['--user U      only this user\'s', ...COMMON_HELP],
  options: { user: { type: 'string' }, ...COMMON },
  async run(opts, _args, ctx) {
    const user = optionalString(opts, 'user')?.toLowerCase()
    const all = await either(opts, ctx,
      async (ep) => { const r = await api<{ tokens: TokenView[] }>(ep, 'GET', '/tokens'); return r === UNREACHABLE ? r : r.tokens },
      async (auth) => auth.tokens.list())
    const tokens = all.filter((t) => user === undefined || t.owner === user)
    if (opts.json) return printJson(ctx, tokens)
    ctx.stdout.write(formatTable(['ID', 'NAME', 'USER', 'CREATED', 'LAST USED'], tokens.map((t) => [t.id, t.name, t.owner, t.created, t.lastUsed ?? '-'])))
  },
}

export const hubTokenRevoke: Command = {
  path: ['hub', 'token', 'revoke'],
  summary: 'revoke an API token by its id',
  usage: '<id> [--data DIR] [--url URL]',
  help: COMMON_HELP,
  options: { ...COMMON },
  positionals: true,
  async run(opts, args, ctx) {
    if (args.length !== 1) throw new UsageError('give exactly one token id')
    await either(opts, ctx, (ep) => api(ep, 'DELETE', `/tokens/${encodeURIComponent(args[0]!)}`), (auth) => auth.tokens.revoke(args[0]!))
    if (opts.json) return printJson(ctx, { id: args[0], revoked: true })
    println(ctx, `token ${args[0]} revoked`)
  },
}

export const hubUserCommands: Command[] = [hubUserAdd, hubUserList, hubUserRole, hubUserDelete, hubTokenCreate, hubTokenList, hubTokenRevoke]
