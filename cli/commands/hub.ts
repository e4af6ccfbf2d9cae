// `zt hub start|findings|agents|import`: the hub process, and the commands that ask a running
// hub over its HTTP API with the operator token it wrote to the home.
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { readPassphrase } from '../../keys/index.ts'
import { HeapBudget } from '../../protocol/index.ts'
import { homeDir, optionalString, printJson, println, requireString, type CliContext, type Command, type OptionValues } from '../command.ts'
import { CheckFailed, UsageError } from '../errors.ts'
import { call, hubEndpoint, running } from '../hub-endpoint.ts'
import { formatTable } from '../table.ts'

const dataOf = (opts: OptionValues, ctx: CliContext) => { const d = optionalString(opts, 'data'); return d ? resolve(ctx.cwd, d) : undefined }

export const hubStart: Command = {
  path: ['hub', 'start'],
  summary: 'run the hub: libp2p for every tenant in the home, its store, and its HTTP endpoints',
  usage: '[--data DIR] [--listen MULTIADDR]… [--http PORT] [--http-host HOST]',
  help: [
    '--data DIR          hub data (default HOME/hub)',
    '--listen MULTIADDR  libp2p listen address (repeatable; default /ip4/0.0.0.0/tcp/7401)',
    '--http PORT         HTTP port (default 7400; 0 picks a free one)',
    '--http-host HOST    HTTP address (default 127.0.0.1)',
    'the tenant passphrase comes from ZT_PASSPHRASE or a prompt',
  ],
  options: { data: { type: 'string' }, listen: { type: 'string', multiple: true }, http: { type: 'string' }, 'http-host': { type: 'string' } },
  async run(opts, _args, ctx) {
    const httpText = optionalString(opts, 'http')
    if (httpText !== undefined && !/^\d{1,5}$/.test(httpText)) throw new UsageError('--http: a port number')
    const home = homeDir(opts, ctx)
    const passphrase = await readPassphrase({ env: ctx.env, stdin: ctx.stdin, stderr: ctx.stderr })
    const { startHub } = await import('../../hub/index.ts')
    // The hub's heap kept near what it holds live (protocol/heap.ts, docs/ARCHITECTURE.md "Hub memory").
    const budget = new HeapBudget().start()
    const listen = opts.listen as string[] | undefined
    const hub = await startHub({
      home, dataDir: dataOf(opts, ctx), passphrase, listen: listen && listen.length > 0 ? listen : undefined,
      httpPort: httpText === undefined ? undefined : Number(httpText), httpHost: optionalString(opts, 'http-host'),
      log: (line) => ctx.stderr.write(`zt hub: ${line}\n`),
    })
    println(ctx, `hub ${hub.peerId} serving ${[...hub.tenants.keys()].join(', ')}`)
    for (const addr of hub.multiaddrs()) println(ctx, `libp2p ${addr}`)
    println(ctx, `http ${hub.url}`)
    await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }))
    await hub.stop()
    budget.stop()
  },
}


export const hubFindingsCommand: Command = {
  path: ['hub', 'findings'],
  summary: 'open findings of a tenant, as the running hub holds them',
  usage: '--tenant T [--agent ID] [--severity S] [--url URL]',
  options: { tenant: { type: 'string' }, agent: { type: 'string' }, severity: { type: 'string' }, url: { type: 'string' } },
  async run(opts, _args, ctx) {
    const tenant = requireString(opts, 'tenant')
    const ep = await running(opts, ctx)
    type Row = { agent: string, severity: string, rule: string, package?: string, version?: string, path: string, line?: number, evidence?: string }
    const findings: Row[] = []
    let cursor: string | null = null
    do {
      const q = new URLSearchParams({ limit: '500' })
      for (const k of ['agent', 'severity']) { const v = optionalString(opts, k); if (v) q.set(k, v) }
      if (cursor) q.set('cursor', cursor)
      const page = await call(ep, `/api/v1/tenants/${encodeURIComponent(tenant)}/findings?${q}`) as { findings: Row[], next: string | null }
      findings.push(...page.findings)
      cursor = page.next
    } while (cursor)
    if (opts.json) return printJson(ctx, findings)
    ctx.stdout.write(formatTable(['SEVERITY', 'RULE', 'PACKAGE', 'PATH', 'AGENT'], findings.map((f) => [
      f.severity, f.rule, f.package ? `${f.package}@${f.version}` : (f.evidence ?? ''), f.line ? `${f.path}:${f.line}` : f.path, f.agent,
    ])))
  },
}

export const hubAgentsCommand: Command = {
  path: ['hub', 'agents'],
  summary: 'agents of a tenant: online, last seen, last scan, certificate expiry, revoked',
  usage: '--tenant T [--url URL]',
  options: { tenant: { type: 'string' }, url: { type: 'string' } },
  async run(opts, _args, ctx) {
    const tenant = requireString(opts, 'tenant')
    const { agents } = await call(await running(opts, ctx), `/api/v1/tenants/${encodeURIComponent(tenant)}/agents`) as { agents: { id: string, name?: string, online: boolean, lastSeen?: string, lastScan?: string, version?: string, certificateExpiry?: string, revoked: boolean }[] }
    if (opts.json) return printJson(ctx, agents)
    ctx.stdout.write(formatTable(['ID', 'NAME', 'ONLINE', 'LAST SEEN', 'LAST SCAN', 'VERSION', 'CERT EXPIRES', 'REVOKED'], agents.map((a) => [
      a.id, a.name ?? '-', a.online ? 'yes' : 'no', a.lastSeen ?? '-', a.lastScan ?? '-', a.version ?? '-', a.certificateExpiry ?? '-', a.revoked ? 'REVOKED' : 'no',
    ])))
  },
}

export const hubImport: Command = {
  path: ['hub', 'import'],
  summary: 'import an agent bundle (zt agent export): into the running hub, or its store when stopped',
  usage: '<bundle-file> [--data DIR] [--url URL]',
  options: { data: { type: 'string' }, url: { type: 'string' } },
  positionals: true,
  async run(opts, args, ctx) {
    if (args.length !== 1) throw new UsageError('give exactly one bundle file')
    const bytes = new Uint8Array(await readFile(resolve(ctx.cwd, args[0]!)))
    const ep = await hubEndpoint(opts, ctx)
    let result: { envelopes: number, stored: number, duplicates: number, tenant: string, from: string } | undefined
    if (ep) {
      try {
        result = await call(ep, '/api/v1/bundles', { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } }) as typeof result
      } catch (err) {
        if (!(err as { unreachable?: boolean }).unreachable) throw err
      }
    }
    if (!result) {
      const { importBundleOffline } = await import('../../hub/index.ts')
      try {
        result = await importBundleOffline(homeDir(opts, ctx), dataOf(opts, ctx), bytes)
      } catch (err) {
        const e = err as { name?: string, code?: string, message: string }
        if (e.name === 'BundleError') throw new CheckFailed(`bundle refused: ${e.code}: ${e.message}`)
        throw err
      }
    }
    if (opts.json) return printJson(ctx, result)
    println(ctx, `${args[0]}: ${result!.envelopes} envelopes from ${result!.from} (tenant ${result!.tenant}): ${result!.stored} stored, ${result!.duplicates} already held`)
  },
}
