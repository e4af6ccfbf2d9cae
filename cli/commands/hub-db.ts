// `zt hub db import|import-epss|import-kev|status`: the hub's advisory DB
// (`<hub data>/advisories`: OSV records, EPSS scores, the CISA KEV catalog). LevelDB allows
// one process per DB, so these work on a stopped hub's data dir; a running hub holds the
// DB open and takes imports through its API instead (or import here and restart it).
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { homeDir, optionalString, printJson, println, type CliContext, type Command, type OptionValues } from '../command.ts'
import { UsageError } from '../errors.ts'
import { formatTable } from '../table.ts'
import { call, hubEndpoint, running } from '../hub-endpoint.ts'
import type { FeedImportStats, FeedStatus } from '../../hub/index.ts'

/** The file, posted to the running hub that holds the DB. */
async function postToHub<T>(opts: OptionValues, ctx: CliContext, route: string, path: string): Promise<T> {
  return await call(await running(opts, ctx), `/api/v1${route}`, { method: 'POST', body: await readFile(path) }) as T
}

const RUNNING_HUB = 'works on a stopped hub: a running hub holds its DB; import through its API, or stop it, import, and start it again'
const THROUGH_HUB = 'on a running hub (it holds the DB) the file goes through its API with the operator token'
const DATA_HELP = '--data DIR      hub data (default HOME/hub); the DB is DATA/advisories'

function dataDir(opts: OptionValues, ctx: CliContext): string {
  const d = optionalString(opts, 'data')
  return d ? resolve(ctx.cwd, d) : join(homeDir(opts, ctx), 'hub')
}

async function withDb<T>(opts: OptionValues, ctx: CliContext, fn: (db: import('../../hub/index.ts').HubDb) => Promise<T>, create = true, onLocked?: () => Promise<T>): Promise<T> {
  const { openHubDb, hubDbDir, EnrichError } = await import('../../hub/index.ts')
  const dir = hubDbDir(dataDir(opts, ctx))
  if (!create && !existsSync(join(dir, 'CURRENT'))) throw new UsageError(`no hub advisory DB in ${dir} (zt hub db import …)`)
  let db
  try {
    db = await openHubDb(dir, { signal: ctx.signal })
  } catch (err) {
    if (err instanceof EnrichError && err.code === 'locked') {
      if (onLocked && await hubEndpoint(opts, ctx)) return onLocked()
      throw new UsageError(`${err.message}; zt hub db ${RUNNING_HUB}`)
    }
    throw err
  }
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

function existing(ctx: CliContext, source: string): string {
  const path = resolve(ctx.cwd, source)
  if (!existsSync(path)) throw new UsageError(`${source}: no such file or folder`)
  return path
}

function reportErrors(ctx: CliContext, what: string, source: string, errors: { where: string, message: string }[], invalid: number): void {
  for (const e of errors.slice(0, 20)) ctx.stderr.write(`zt hub db ${what}: ${source}: ${e.where}: ${e.message}\n`)
  if (invalid > 20) ctx.stderr.write(`zt hub db ${what}: ${source}: … and ${invalid - 20} more\n`)
}

export const hubDbImport: Command = {
  path: ['hub', 'db', 'import'],
  summary: 'import OSV advisories into the hub\'s advisory DB (same formats as zt db import)',
  usage: '<source…> [--data DIR]',
  help: [
    '<source>        an OSV all.zip, a folder of OSV .json files, a .json or .jsonl file (OSV, or nodejs security-wg advisories); repeatable',
    DATA_HELP,
    RUNNING_HUB,
  ],
  options: { data: { type: 'string' } },
  positionals: true,
  async run(opts, args, ctx) {
    if (args.length === 0) throw new UsageError('give at least one source')
    const paths = args.map((a) => existing(ctx, a))
    const all = await withDb(opts, ctx, async (db) => {
      const out = []
      for (let i = 0; i < paths.length; i++) {
        const [stats] = await db.importAdvisories([paths[i]!], {
          signal: ctx.signal,
          onProgress: ctx.stderr.isTTY ? (_s, n) => ctx.stderr.write(`\rzt hub db import: ${n} records`) : undefined,
        })
        if (ctx.stderr.isTTY) ctx.stderr.write('\r\x1b[K')
        reportErrors(ctx, 'import', args[i]!, stats!.errors, stats!.invalid)
        out.push({ ...stats!, source: args[i]! })
      }
      return out
    })
    if (opts.json) return printJson(ctx, all)
    for (const s of all) println(ctx, `${s.source}: ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.withdrawn} withdrawn, ${s.invalid} invalid in ${s.durationMs} ms`)
  },
}

export const hubDbImportEpss: Command = {
  path: ['hub', 'db', 'import-epss'],
  summary: 'replace the hub\'s EPSS scores with a FIRST EPSS CSV (plain or .gz)',
  usage: '<FILE.csv[.gz]> [--data DIR]',
  help: ['<FILE>          FIRST\'s daily EPSS file (epss_scores-YYYY-MM-DD.csv.gz): cve,epss,percentile', DATA_HELP, THROUGH_HUB],
  options: { data: { type: 'string' } },
  positionals: true,
  async run(opts, args, ctx) {
    if (args.length !== 1) throw new UsageError('give one EPSS file')
    const path = existing(ctx, args[0]!)
    const stats = await withDb(opts, ctx, async (db) => {
      const s = await db.importEpss(path, { signal: ctx.signal, onProgress: ctx.stderr.isTTY ? (n) => ctx.stderr.write(`\rzt hub db import-epss: ${n} lines`) : undefined })
      if (ctx.stderr.isTTY) ctx.stderr.write('\r\x1b[K')
      return { ...s, ...(await db.status()).epss }
    }, true, () => postToHub<FeedImportStats & FeedStatus>(opts, ctx, '/epss', path))
    reportErrors(ctx, 'import-epss', args[0]!, stats.errors, stats.invalid)
    if (opts.json) return printJson(ctx, stats)
    println(ctx, `${args[0]}: ${stats.imported} CVEs scored (${stats.date ?? 'no date'}, model ${stats.version ?? 'unknown'}), ${stats.invalid} bad lines, in ${stats.durationMs} ms`)
  },
}

export const hubDbImportKev: Command = {
  path: ['hub', 'db', 'import-kev'],
  summary: 'replace the hub\'s CISA KEV catalog with a KEV JSON file',
  usage: '<FILE.json> [--data DIR]',
  help: ['<FILE>          CISA\'s known_exploited_vulnerabilities.json', DATA_HELP, THROUGH_HUB],
  options: { data: { type: 'string' } },
  positionals: true,
  async run(opts, args, ctx) {
    if (args.length !== 1) throw new UsageError('give one KEV file')
    const path = existing(ctx, args[0]!)
    const stats = await withDb(opts, ctx, async (db) => ({ ...(await db.importKev(path, { signal: ctx.signal })), ...(await db.status()).kev }), true, () => postToHub<FeedImportStats & FeedStatus>(opts, ctx, '/kev', path))
    reportErrors(ctx, 'import-kev', args[0]!, stats.errors, stats.invalid)
    if (opts.json) return printJson(ctx, stats)
    println(ctx, `${args[0]}: ${stats.imported} known exploited CVEs (catalog ${stats.version ?? 'unknown'}), ${stats.invalid} bad entries, in ${stats.durationMs} ms`)
  },
}

export const hubDbStatus: Command = {
  path: ['hub', 'db', 'status'],
  summary: 'what the hub\'s advisory DB holds: advisories per ecosystem, EPSS and KEV',
  usage: '[--data DIR]',
  help: [DATA_HELP, RUNNING_HUB],
  options: { data: { type: 'string' } },
  async run(opts, _args, ctx) {
    const s = await withDb(opts, ctx, (db) => db.status(), false)
    if (opts.json) return printJson(ctx, s)
    ctx.stdout.write(formatTable(['ECOSYSTEM', 'ADVISORIES'], Object.entries(s.advisories.ecosystems).sort().map(([e, n]) => [e, String(n)])))
    println(ctx, `total ${s.advisories.total} (${s.advisories.withdrawn} withdrawn), newest modified ${s.advisories.newestModified ?? 'never'}`)
    const when = (t: number | null) => (t === null ? 'never' : new Date(t).toISOString())
    println(ctx, s.epss.generation === 0 ? 'EPSS: not imported (zt hub db import-epss)' : `EPSS: ${s.epss.count} CVEs, scores of ${s.epss.date}, model ${s.epss.version ?? 'unknown'}, imported ${when(s.epss.importedAt)}`)
    println(ctx, s.kev.generation === 0 ? 'KEV: not imported (zt hub db import-kev)' : `KEV: ${s.kev.count} CVEs, catalog ${s.kev.version ?? 'unknown'}, imported ${when(s.kev.importedAt)}`)
  },
}
