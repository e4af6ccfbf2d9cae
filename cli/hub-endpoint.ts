// Where the running hub is, for the `zt hub …` commands: its URL from HOME/hub.json (or
// --url) and the operator token it wrote to HOME/operator.token (0600).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { homeDir, optionalString, type CliContext, type OptionValues } from './command.ts'
import { CheckFailed, UsageError } from './errors.ts'

export interface Endpoint { url: string, token: string }

export async function hubEndpoint(opts: OptionValues, ctx: CliContext): Promise<Endpoint | undefined> {
  const home = homeDir(opts, ctx)
  const text = await readFile(join(home, 'hub.json'), 'utf8').catch(() => undefined)
  const token = (await readFile(join(home, 'operator.token'), 'utf8').catch(() => '')).trim()
  const url = optionalString(opts, 'url') ?? (text ? (JSON.parse(text) as { url: string }).url : undefined)
  return url && token ? { url, token } : undefined
}

/** One API call with the operator token; the hub's `{error}` becomes a UsageError naming its code. */
export async function call(ep: Endpoint, path: string, init: RequestInit = {}): Promise<unknown> {
  let res
  try {
    res = await fetch(ep.url + path, { ...init, headers: { ...init.headers, authorization: `Bearer ${ep.token}` } })
  } catch (err) {
    throw Object.assign(new UsageError(`no hub answers at ${ep.url} (${(err as Error).cause ? String((err as { cause: Error }).cause.message) : (err as Error).message}); is zt hub start running?`), { unreachable: true })
  }
  const body = await res.json().catch(() => undefined) as { error?: { code: string, message: string } } | undefined
  if (res.status === 400 && path === '/api/v1/bundles') throw new CheckFailed(`bundle refused: ${body?.error?.code}: ${body?.error?.message}`)
  if (!res.ok) throw new UsageError(`hub: ${body?.error?.code ?? res.status}: ${body?.error?.message ?? res.statusText}`)
  return body
}

/** The running hub recorded in the home (or --url), or a UsageError saying how to start one. */
export async function running(opts: OptionValues, ctx: CliContext): Promise<Endpoint> {
  const ep = await hubEndpoint(opts, ctx)
  if (!ep) throw new UsageError(`no running hub recorded in ${homeDir(opts, ctx)} (zt hub start), or give --url`)
  return ep
}
