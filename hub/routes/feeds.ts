// What a running hub takes in from its operator besides agents' envelopes: OSV advisories
// (into its advisory DB, then out to every agent as signed updates), the day's EPSS scores and
// the CISA KEV catalog (each import re-scores the findings they change). `zt hub db import-epss
// | import-kev` use these when the hub holds its DB.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EnrichError } from '../enrich/index.ts'
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { Hub } from '../hub.ts'

/** Paths whose bodies are files (the big-body limit applies). */
export const FEED_PATHS = ['/advisories', '/epss', '/kev']

/** Runs `fn` on the request body saved as a file named `name` in a private temp dir. */
async function asFile<T>(body: Uint8Array, name: string, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'zt-feed-'))
  try {
    await writeFile(join(dir, name), body, { mode: 0o600 })
    return await fn(join(dir, name))
  } catch (err) {
    // A file the importer cannot read (not gzip after all, not JSON…) is the caller's.
    if (err instanceof EnrichError) apiError(400, err.code, err.message)
    throw err
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const isGzip = (b: Uint8Array) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b

export function feedRoutes(routes: Routes, hub: Hub): void {
  routes.add('POST', '/advisories', { kind: 'operator' }, 'hand OSV advisories (JSON lines, or a JSON array) to every agent as signed updates', async (c) => {
    const text = await c.req.text()
    let records: string[]
    try {
      const trimmed = text.trim()
      records = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]).map((r) => JSON.stringify(r)) : trimmed.split('\n').filter((l) => l.trim()).map((l) => JSON.stringify(JSON.parse(l)))
    } catch {
      apiError(400, 'bad-request', 'OSV records as JSON lines or a JSON array')
    }
    const bad = records!.findIndex((r) => { const o = JSON.parse(r) as { id?: unknown }; return typeof o !== 'object' || o === null || typeof o.id !== 'string' })
    if (bad !== -1) apiError(400, 'bad-request', `record ${bad + 1} is not an OSV record (no id)`)
    // Into the hub's own advisory DB (enrichment, re-matching), then out to every agent.
    const [stats] = await asFile(new TextEncoder().encode(records!.join('\n') + '\n'), 'records.jsonl', (path) => hub.hubDb.importAdvisories([path]))
    return c.json({ records: records!.length, imported: { added: stats!.added, updated: stats!.updated, unchanged: stats!.unchanged, invalid: stats!.invalid }, updates: await hub.publishAdvisories(records!) })
  })

  routes.add('POST', '/epss', { kind: 'operator' }, 'replace the EPSS scores with FIRST\'s daily CSV (plain or gzip); findings are re-scored', async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer())
    if (body.length === 0) apiError(400, 'bad-request', 'the body is the EPSS CSV (cve,epss,percentile), plain or gzip')
    const stats = await asFile(body, isGzip(body) ? 'epss.csv.gz' : 'epss.csv', (path) => hub.hubDb.importEpss(path))
    if (stats.imported === 0) apiError(400, 'bad-request', `no EPSS scores in the body${stats.errors[0] ? ` (${stats.errors[0].where}: ${stats.errors[0].message})` : ''}`)
    return c.json({ ...stats, errors: stats.errors.slice(0, 20), ...(await hub.hubDb.status()).epss })
  })

  routes.add('POST', '/kev', { kind: 'operator' }, 'replace the CISA KEV catalog with its JSON; findings are re-scored', async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer())
    if (body.length === 0) apiError(400, 'bad-request', 'the body is CISA\'s known_exploited_vulnerabilities.json')
    const stats = await asFile(body, 'kev.json', (path) => hub.hubDb.importKev(path))
    if (stats.imported === 0) apiError(400, 'bad-request', `no KEV entries in the body${stats.errors[0] ? ` (${stats.errors[0].where}: ${stats.errors[0].message})` : ''}`)
    return c.json({ ...stats, errors: stats.errors.slice(0, 20), ...(await hub.hubDb.status()).kev })
  })
}
