// `zt db …`: the local advisory DB that scans match against, offline.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { homeDir, optionalString, printJson, println, type CliContext, type Command, type OptionValues } from '../command.ts'
import { UsageError } from '../errors.ts'
import { formatTable } from '../table.ts'

export function dbDir(opts: OptionValues, ctx: CliContext): string {
  return resolve(ctx.cwd, optionalString(opts, 'db') ?? join(homeDir(opts, ctx), 'db'))
}

export const dbImport: Command = {
  path: ['db', 'import'],
  summary: 'import OSV advisories (all.zip, a folder of .json, a .json or .jsonl file) into the advisory DB',
  usage: '<source…> [--db DIR]',
  help: ['<source>      an OSV all.zip, a folder of OSV .json files, a .json or .jsonl file (OSV, or nodejs security-wg advisories); repeatable', '--db DIR      the advisory DB (default $ZT_HOME/db)'],
  options: { db: { type: 'string' } },
  positionals: true,
  async run(opts, args, ctx) {
    if (args.length === 0) throw new UsageError('give at least one source')
    const { openAdvisoryDb } = await import('../../advisories/index.ts')
    const db = await openAdvisoryDb(dbDir(opts, ctx))
    try {
      const all = []
      for (const source of args) {
        const path = resolve(ctx.cwd, source)
        if (!existsSync(path)) throw new UsageError(`${source}: no such file or folder`)
        const stats = await db.import(path, {
          onProgress: ctx.stderr.isTTY ? (n: number) => ctx.stderr.write(`\rzt db import: ${n} records`) : undefined,
        })
        if (ctx.stderr.isTTY) ctx.stderr.write('\r\x1b[K')
        for (const e of stats.errors.slice(0, 20)) ctx.stderr.write(`zt db import: ${source}: ${e.where}: ${e.message}\n`)
        if (stats.errors.length > 20) ctx.stderr.write(`zt db import: ${source}: … and ${stats.errors.length - 20} more invalid records\n`)
        all.push({ source, ...stats })
      }
      if (opts.json) return printJson(ctx, all)
      for (const s of all) {
        println(ctx, `${s.source}: ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.withdrawn} withdrawn, ${s.invalid} invalid in ${s.durationMs} ms`)
      }
    } finally {
      await db.close()
    }
  },
}

export const dbStatus: Command = {
  path: ['db', 'status'],
  summary: 'advisory counts per ecosystem and the newest modified date',
  usage: '[--db DIR]',
  options: { db: { type: 'string' } },
  async run(opts, _args, ctx) {
    const dir = dbDir(opts, ctx)
    if (!existsSync(join(dir, 'CURRENT'))) throw new UsageError(`no advisory DB in ${dir} (zt db import …)`)
    const { openAdvisoryDb } = await import('../../advisories/index.ts')
    const db = await openAdvisoryDb(dir)
    try {
      const s = await db.status()
      if (opts.json) return printJson(ctx, s)
      ctx.stdout.write(formatTable(['ECOSYSTEM', 'ADVISORIES'], Object.entries(s.ecosystems).sort().map(([e, n]) => [e, String(n)])))
      println(ctx, `total ${s.total} (${s.withdrawn} withdrawn), newest modified ${s.newestModified ?? 'never'}`)
    } finally {
      await db.close()
    }
  },
}
