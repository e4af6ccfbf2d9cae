// `zt agent run|findings|status|log`: the agent daemon and the commands that ask it — over
// its control socket while it runs, from its store directly when it is stopped.
import { join, resolve } from 'node:path'
import type { Finding } from '../../crdt/index.ts'
import { loadAgentKey } from '../../keys/index.ts'
import type { ChainReport, ControlRequest } from '../../node/index.ts'
import { optionalString, printJson, println, requireString, type CliContext, type Command, type OptionValues } from '../command.ts'
import { parseDuration } from '../duration.ts'
import { CheckFailed, UsageError } from '../errors.ts'
import { formatTable } from '../table.ts'

/** How long `--once` with a hub waits for the hub to ack the scan before exiting. */
const ONCE_SYNC_MS = 30_000

const dataDir = (opts: OptionValues, ctx: CliContext) => resolve(ctx.cwd, requireString(opts, 'data'))

/** The running agent's answer, else the same query against its store. */
async function ask(dir: string, req: ControlRequest): Promise<unknown> {
  const node = await import('../../node/index.ts')
  const answer = await node.askControl(join(dir, node.SOCKET_FILE), req)
  if (answer !== undefined) return answer
  const { peerId } = await loadAgentKey(dir)
  let store
  try {
    store = await node.AgentStore.open(dir)
  } catch (err) {
    throw new UsageError(`the agent store in ${dir} is locked by another process, and no agent answers on its socket (${(err as Error).message.split('\n')[0]})`)
  }
  try {
    if (req.cmd === 'findings') return await node.listFindings(store, peerId, { all: req.all })
    if (req.cmd === 'status') return await node.agentStatus(store, peerId, false, dir)
    if (req.cmd === 'log') return await node.logReport(store, { verify: req.verify })
    if (req.cmd === 'export') {
      const identity = await loadAgentKey(dir)
      const cert = await node.loadAgentCertificate(dir, identity)
      if (!cert) throw new UsageError(`no certificate in ${dir}: a bundle names its tenant (zt keys sign-agent … --out ${join(dir, 'agent.cert')})`)
      return await node.exportStoppedAgent(store, identity, cert, req.out, Boolean(req.sinceAck))
    }
    throw new UsageError('the agent is not running')
  } finally {
    await store.close()
  }
}

export const agentRun: Command = {
  path: ['agent', 'run'],
  summary: 'run the agent: scan now and on an interval, keep signed history, serve the control socket',
  usage: '--data DIR --scan PATH… [--db DIR] [--interval 15m] [--once] [--exclude GLOB]… [--compact-after N] [--cert FILE] [--hub MULTIADDR] [--peer MULTIADDR]… [--relay] [--listen MULTIADDR]…',
  help: [
    '--data DIR         the agent data dir (zt agent init)',
    '--scan PATH        a path to scan (repeatable)',
    '--db DIR           advisory DB (default DIR/db)',
    '--interval DUR     time between scans (default 15m)',
    '--once             scan once and exit (with --hub: after the hub acks the scan, waiting at most 30 s)',
    '--compact-after N  snapshot a doc\'s history after N envelopes (default 64)',
    '--cert FILE        the agent certificate (zt keys sign-agent; kept as DIR/agent.cert)',
    '--hub MULTIADDR    the hub to sync with (…/p2p/<hub id>, as zt hub start prints it)',
    '--peer MULTIADDR   a relay agent to sync through (repeatable)',
    '--relay            keep and forward other agents\' envelopes (the certificate must grant relay)',
    '--listen MULTIADDR listen for agents (a relay), e.g. /ip4/0.0.0.0/tcp/7402 (repeatable)',
    '--relay-cap SIZE   bytes of other agents\' envelopes a relay keeps (default 1g)',
  ],
  options: {
    data: { type: 'string' }, scan: { type: 'string', multiple: true }, db: { type: 'string' }, interval: { type: 'string' }, once: { type: 'boolean' }, exclude: { type: 'string', multiple: true }, 'compact-after': { type: 'string' },
    cert: { type: 'string' }, hub: { type: 'string' }, peer: { type: 'string', multiple: true }, relay: { type: 'boolean' }, listen: { type: 'string', multiple: true }, 'relay-cap': { type: 'string' },
  },
  async run(opts, _args, ctx) {
    const dir = dataDir(opts, ctx)
    const roots = ((opts.scan as string[] | undefined) ?? []).map((p) => resolve(ctx.cwd, p))
    if (roots.length === 0) throw new UsageError('give at least one --scan PATH')
    const intervalMs = parseDuration(optionalString(opts, 'interval') ?? '15m', 'interval')
    const { createAgent } = await import('../../node/index.ts')
    const dbDir = optionalString(opts, 'db')
    const compactText = optionalString(opts, 'compact-after')
    if (compactText !== undefined && !/^[1-9]\d*$/.test(compactText)) throw new UsageError('--compact-after: a positive number of envelopes')
    const certText = optionalString(opts, 'cert')
    const mesh = {
      certFile: certText ? resolve(ctx.cwd, certText) : undefined, hub: optionalString(opts, 'hub'), peers: (opts.peer as string[] | undefined) ?? [],
      relay: Boolean(opts.relay), listen: (opts.listen as string[] | undefined) ?? [], relayCapBytes: parseSize(optionalString(opts, 'relay-cap')),
    }
    const agent = await createAgent(
      { dataDir: dir, roots, dbDir: dbDir ? resolve(ctx.cwd, dbDir) : undefined, intervalMs: opts.once ? undefined : intervalMs, exclude: (opts.exclude as string[] | undefined) ?? [], ...(compactText ? { compactAfter: Number(compactText) } : {}), mesh },
      { log: (line) => ctx.stderr.write(`zt agent: ${line}\n`) },
    )
    ctx.stderr.write(`zt agent: ${agent.agentId} starting\n`)
    await agent.start()
    for (const addr of agent.multiaddrs()) println(ctx, addr)
    if (!opts.once) {
      ctx.stderr.write(`zt agent: running; next scan in ${optionalString(opts, 'interval') ?? '15m'} (Ctrl-C stops)\n`)
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }))
    } else if (mesh?.hub) {
      // One scan, then what it wrote to the hub before exiting (as far as the hub is reachable).
      const ok = await agent.synced(ONCE_SYNC_MS)
      ctx.stderr.write(ok ? 'zt agent: the hub holds everything this agent wrote\n'
        : `zt agent: the hub did not ack everything within ${ONCE_SYNC_MS / 1000} s; the next run (or zt agent export) carries the rest\n`)
    }
    await agent.stop()
  },
}

/** A byte size: 512m, 1g, 64k or plain bytes. */
function parseSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const m = /^(\d+)([kmg]?)$/i.exec(text.trim())
  if (!m) throw new UsageError(`--relay-cap: a size such as 512m or 1g, not '${text}'`)
  return Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] || ' ').toLowerCase())
}

export const agentExport: Command = {
  path: ['agent', 'export'],
  summary: 'write the agent\'s envelopes to a bundle file, for a hub across an air gap (zt hub import)',
  usage: '--data DIR --out FILE [--since-ack]',
  help: ['--data DIR     the agent data dir', '--out FILE     the bundle to write', '--since-ack    only what the hub has not acknowledged yet'],
  options: { data: { type: 'string' }, out: { type: 'string' }, 'since-ack': { type: 'boolean' } },
  async run(opts, _args, ctx) {
    const out = resolve(ctx.cwd, requireString(opts, 'out'))
    const r = await ask(dataDir(opts, ctx), { cmd: 'export', out, sinceAck: Boolean(opts['since-ack']) }) as { bytes: number, frames: number }
    if (opts.json) return printJson(ctx, { out, envelopes: r.frames, bytes: r.bytes })
    println(ctx, `${out}: ${r.frames} envelopes, ${r.bytes} bytes`)
  },
}

export const agentFindings: Command = {
  path: ['agent', 'findings'],
  summary: 'the agent\'s open findings (--all adds resolved ones)',
  usage: '--data DIR [--all] [--json]',
  options: { data: { type: 'string' }, all: { type: 'boolean' } },
  async run(opts, _args, ctx) {
    const findings = await ask(dataDir(opts, ctx), { cmd: 'findings', all: Boolean(opts.all) }) as Finding[]
    if (opts.json) return printJson(ctx, findings)
    ctx.stdout.write(formatTable(['SEVERITY', 'RULE', 'PACKAGE', 'PATH', 'STATUS'], findings.map((f) => [
      f.severity, f.rule, f.package ? `${f.package}@${f.version}` : (f.evidence ?? ''), f.line ? `${f.path}:${f.line}` : f.path, f.resolvedAt ? `resolved ${new Date(f.resolvedAt).toISOString()}` : 'open',
    ])))
  },
}

export const agentStatusCommand: Command = {
  path: ['agent', 'status'],
  summary: 'the agent\'s id, last scan and history',
  usage: '--data DIR [--json]',
  options: { data: { type: 'string' } },
  async run(opts, _args, ctx) {
    const s = await ask(dataDir(opts, ctx), { cmd: 'status' }) as Awaited<ReturnType<typeof import('../../node/index.ts').agentStatus>>
    if (opts.json) return printJson(ctx, s)
    println(ctx, `agent      ${s.agentId}`)
    println(ctx, `running    ${s.running ? 'yes' : 'no'}`)
    if (s.lastScan) println(ctx, `last scan  ${new Date(s.lastScan.at).toISOString()}: ${s.lastScan.packages} packages, ${s.lastScan.findings} findings, ${s.lastScan.errors} errors (${s.lastScan.durationMs} ms)`)
    else println(ctx, 'last scan  never')
    if (s.certificate) println(ctx, `cert       ${s.certificate.name} (${s.certificate.tenant}; ${s.certificate.roles.join(', ')}), expires ${s.certificate.notAfter}`)
    else println(ctx, s.certificateError ? `cert       unreadable: ${s.certificateError}` : 'cert       none yet (zt keys sign-agent … --out DIR/agent.cert)')
    for (const [doc, n] of Object.entries(s.docs)) println(ctx, `doc        ${doc}: ${n} envelopes`)
  },
}

export const agentLog: Command = {
  path: ['agent', 'log'],
  summary: 'the agent\'s signed history per doc; --verify checks every signature and link (exit 1 when broken)',
  usage: '--data DIR [--verify] [--json]',
  options: { data: { type: 'string' }, verify: { type: 'boolean' } },
  async run(opts, _args, ctx) {
    const report = await ask(dataDir(opts, ctx), { cmd: 'log', verify: Boolean(opts.verify) }) as ChainReport[]
    if (opts.json) printJson(ctx, report)
    else ctx.stdout.write(formatTable(['DOC', 'SEQS', 'BYTES', 'SNAPSHOT', 'VERIFIED'], report.map((r) => [
      r.doc, String(r.seqs), String(r.bytes), r.lastSnapshot ? String(r.lastSnapshot) : '-', !opts.verify ? '-' : r.broken ? `BROKEN at ${r.broken.seq}: ${r.broken.code}` : 'ok',
    ])))
    const broken = report.find((r) => r.broken)
    if (broken) throw new CheckFailed(`${broken.doc}: envelope ${broken.broken!.seq} fails verification (${broken.broken!.code}): ${broken.broken!.message}`)
  },
}
