// Where the running hub is, for the `zt hub …` commands: its URL from HOME/hub.json (or
// --url) and the operator token it wrote to HOME/operator.token (0600).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { homeDir, optionalString, type CliContext, type OptionValues } from './command.ts'

export interface Endpoint { url: string, token: string }

export async function hubEndpoint(opts: OptionValues, ctx: CliContext): Promise<Endpoint | undefined> {
  const home = homeDir(opts, ctx)
  const text = await readFile(join(home, 'hub.json'), 'utf8').catch(() => undefined)
  const token = (await readFile(join(home, 'operator.token'), 'utf8').catch(() => '')).trim()
  const url = optionalString(opts, 'url') ?? (text ? (JSON.parse(text) as { url: string }).url : undefined)
  return url && token ? { url, token } : undefined
}
