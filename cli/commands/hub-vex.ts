// `zt hub vex import|list`: a tenant's VEX suppressions on the running hub. An imported
// OpenVEX document's not_affected statements hide the findings they cover wherever findings
// are listed or exported (until they expire or are deleted).
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { VexStatement } from '../../hub/index.ts'
import { printJson, println, requireString, type Command } from '../command.ts'
import { UsageError } from '../errors.ts'
import { call, running } from '../hub-endpoint.ts'
import { formatTable } from '../table.ts'

export const hubVexImport: Command = {
  path: ['hub', 'vex', 'import'],
  summary: 'import an OpenVEX document into a tenant\'s suppressions on the running hub',
  usage: '--tenant T <FILE.json> [--url URL]',
  help: ['<FILE>          an OpenVEX document (https://openvex.dev/ns/v0.2.0); statements are kept by @id, so importing it again replaces them'],
  options: { tenant: { type: 'string' }, url: { type: 'string' } },
  positionals: true,
  async run(opts, args, ctx) {
    const tenant = requireString(opts, 'tenant')
    if (args.length !== 1) throw new UsageError('give one OpenVEX file')
    const text = await readFile(resolve(ctx.cwd, args[0]!), 'utf8').catch((err: NodeJS.ErrnoException) => { throw new UsageError(`${args[0]}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`) })
    const res = await call(await running(opts, ctx), `/api/v1/tenants/${encodeURIComponent(tenant)}/suppressions/openvex`, { method: 'POST', body: text, headers: { 'content-type': 'application/json' } }) as { added: number, replaced: number, errors: { where: string, message: string }[] }
    for (const e of res.errors.slice(0, 20)) ctx.stderr.write(`zt hub vex import: ${args[0]}: ${e.where}: ${e.message}\n`)
    if (opts.json) return printJson(ctx, res)
    println(ctx, `${args[0]}: ${res.added} added, ${res.replaced} replaced, ${res.errors.length} skipped`)
  },
}

export const hubVexList: Command = {
  path: ['hub', 'vex', 'list'],
  summary: 'a tenant\'s VEX suppressions on the running hub, and whether each applies now',
  usage: '--tenant T [--json] [--url URL]',
  options: { tenant: { type: 'string' }, url: { type: 'string' } },
  async run(opts, _args, ctx) {
    const tenant = requireString(opts, 'tenant')
    const { suppressions } = await call(await running(opts, ctx), `/api/v1/tenants/${encodeURIComponent(tenant)}/suppressions`) as { suppressions: (VexStatement & { active: boolean })[] }
    if (opts.json) return printJson(ctx, suppressions)
    if (suppressions.length === 0) return println(ctx, `no suppressions in ${tenant}`)
    println(ctx, formatTable(['vulnerability', 'products', 'justification', 'expires', 'applies'], suppressions.map((s) => [
      s.vulnerability, s.products.length === 0 ? 'all' : s.products.map((p) => p.id).join(' '), s.justification ?? s.impactStatement ?? '', s.expires ?? '', s.active ? 'yes' : 'no',
    ])))
  },
}
