// `zt scan`: inventory, advisories and secrets for paths on this machine, printed as a
// table, JSON, SARIF or CycloneDX; exit 1 when findings reach --fail-on.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { AdvisoryDb } from '../../advisories/index.ts'
import { severityRank, type Severity } from '../../crdt/index.ts'
import { loadOrCreateInstallationKey } from '../../keys/index.ts'
import type { ScanCache } from '../../node/index.ts'
import { homeDir, optionalString, printJson, type CliContext, type Command } from '../command.ts'
import { CheckFailed, UsageError } from '../errors.ts'

const FORMATS = ['table', 'json', 'sarif', 'cyclonedx'] as const
const THRESHOLDS = ['low', 'medium', 'high', 'critical'] as const

/** Findings at or above the threshold; an unknown severity counts as low. */
export function atOrAbove(severity: Severity, threshold: typeof THRESHOLDS[number]): boolean {
  const rank = severity === 'unknown' ? severityRank('low') : severityRank(severity)
  return rank >= severityRank(threshold)
}

async function openCache(dir: string, ctx: CliContext): Promise<ScanCache | undefined> {
  const { ScanCache } = await import('../../node/index.ts')
  try {
    return await ScanCache.open(dir)
  } catch {
    ctx.stderr.write(`zt scan: the scan cache in ${dir} is in use by another process; scanning without it\n`)
    return undefined
  }
}

export const scanCommand: Command = {
  path: ['scan'],
  summary: 'scan paths for vulnerable dependencies and secrets (offline, against the local advisory DB)',
  usage: '<path…> [--db DIR] [--format table|json|sarif|cyclonedx] [--fail-on low|medium|high|critical] [--no-secrets] [--exclude GLOB]…',
  help: [
    '--db DIR          advisory DB (default $ZT_HOME/db; fill it with zt db import)',
    '--format F        table (default), json, sarif (2.1.0) or cyclonedx (1.6 JSON)',
    '--fail-on S       exit 1 when a finding is at or above S (default low)',
    '--no-secrets      skip the secret scan',
    '--exclude GLOB    leave out matching paths (repeatable); node_modules, vendor and .git are always left out',
    '--no-cache        parse every file again',
  ],
  options: {
    db: { type: 'string' }, format: { type: 'string' }, 'fail-on': { type: 'string' },
    'no-secrets': { type: 'boolean' }, exclude: { type: 'string', multiple: true }, 'no-cache': { type: 'boolean' },
  },
  positionals: true,
  async run(opts, args, ctx) {
    if (args.length === 0) throw new UsageError('give at least one path to scan')
    const format = (optionalString(opts, 'format') ?? (opts.json ? 'json' : 'table')) as typeof FORMATS[number]
    if (!FORMATS.includes(format)) throw new UsageError(`--format: one of ${FORMATS.join(', ')}`)
    const failOn = (optionalString(opts, 'fail-on') ?? 'low') as typeof THRESHOLDS[number]
    if (!THRESHOLDS.includes(failOn)) throw new UsageError(`--fail-on: one of ${THRESHOLDS.join(', ')}`)
    // Loaded here, not at the top: only scans pay for the scanner's start-up.
    const [{ openAdvisoryDb }, { scan, toJson, toTable }, { toCycloneDx, toSarif }] = await Promise.all([
      import('../../advisories/index.ts'), import('../../node/index.ts'), import('../../report/index.ts'),
    ])
    const home = homeDir(opts, ctx)
    const dbDir = resolve(ctx.cwd, optionalString(opts, 'db') ?? join(home, 'db'))
    let db: AdvisoryDb | undefined
    if (existsSync(join(dbDir, 'CURRENT'))) db = await openAdvisoryDb(dbDir)
    else ctx.stderr.write(`zt scan: no advisory DB in ${dbDir}; reporting inventory and secrets only (fill it with: zt db import <OSV all.zip | folder | .jsonl>)\n`)
    const cache = opts['no-cache'] ? undefined : await openCache(join(home, 'cache', 'scan'), ctx)
    const progress = ctx.stderr.isTTY
      ? (done: number, total: number) => { if (done === total || done % 200 === 0) ctx.stderr.write(`\rzt scan: ${done}/${total} files`) }
      : undefined
    try {
      const result = await scan({
        roots: args.map((a) => resolve(ctx.cwd, a)),
        exclude: (opts.exclude as string[] | undefined) ?? [],
        secrets: !opts['no-secrets'],
        hmacKey: await loadOrCreateInstallationKey(join(home, 'installation.key')),
        advisories: db, cache, onProgress: progress, signal: ctx.signal,
        inventory: format === 'json' || format === 'cyclonedx',
      })
      if (progress) ctx.stderr.write('\r\x1b[K')
      for (const w of result.warnings) ctx.stderr.write(`zt scan: warning: ${w.path}: ${w.message}\n`)
      for (const e of result.errors) ctx.stderr.write(`zt scan: warning: ${e.path}: ${e.message}\n`)
      if (format === 'json') printJson(ctx, toJson(result))
      else if (format === 'sarif') printJson(ctx, toSarif(result))
      else if (format === 'cyclonedx') printJson(ctx, toCycloneDx(result))
      else ctx.stdout.write(toTable(result, { color: Boolean(ctx.stdout.isTTY) && !ctx.env.NO_COLOR }))
      const failing = result.findings.filter((f) => atOrAbove(f.severity, failOn)).length
      if (failing > 0) throw new CheckFailed(`${failing} finding${failing === 1 ? '' : 's'} at or above ${failOn}`)
    } finally {
      await cache?.close()
      await db?.close()
    }
  },
}
