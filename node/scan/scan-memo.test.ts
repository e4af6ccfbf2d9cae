// The scan memo: it answers only for exactly the files, stamps and setting it was made
// under, and a scan that cannot use it never leaves one behind that would hide a change.
import { describe, it, expect } from 'vitest'
import { cp, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { parseOsvRecord } from '../../advisories/index.ts'
import { baseEcosystem, normalizeName } from '../../protocol/index.ts'
import { newGroupTable } from './cached-findings.ts'
import { ScanCache } from './scan-cache.ts'
import { encodeMemo, MAX_MEMO_BYTES, readMemo, type MemoFile, type MemoSetting } from './scan-memo.ts'
import { scan } from './scanner.ts'
import type { AdvisorySource } from './vuln-matcher.ts'

const DEMO = resolve(import.meta.dirname, '../../scripts/demo')

describe('scan memo', () => {
  const table = newGroupTable('g1')
  table.list.push({ rule: 'GHSA-1', aliases: ['GHSA-1', 'CVE-1'], severity: 'high', fixedIn: ['2.0.0'] })
  table.versions.push(['PyPI', 'flask', '1.0'], ['npm', 'lodash', '4.17.0'])
  const setting: MemoSetting = { roots: ['/r'], generation: 'g1', agent: 'ag', secrets: true, packed: true }
  const secret = { rule: 'github-pat', description: 'GitHub token', severity: 'high' as const, path: 'b/.env', line: 2, column: 7, preview: 'ghp_…uTfE', hash: 'ab'.repeat(32) }
  const files: MemoFile[] = [
    { abs: '/r/a/requirements.txt', rel: 'a/requirements.txt', size: 10, mtimeMs: 1000.5, ctimeMs: 1001.25, count: 3, error: undefined, secrets: [], deps: undefined, stored: ['i1\ni2', [0, 0, 0, 1]] },
    { abs: '/r/b/.env', rel: 'b/.env', size: 5, mtimeMs: 2000, ctimeMs: 2000, count: 0, error: undefined, secrets: [secret], deps: undefined, stored: ['', []] },
    { abs: '/r/c/package-lock.json', rel: 'c/package-lock.json', size: 7, mtimeMs: 3000, ctimeMs: 3000, count: 0, error: 'not JSON', secrets: [], deps: undefined, stored: ['', []] },
  ]
  const tasks = files.map(({ abs, rel, size, mtimeMs, ctimeMs }) => ({ abs, rel, size, mtimeMs, ctimeMs }))
  const memo = encodeMemo(setting, files)!

  it('gives back each file\'s count, error, secrets and findings, placed at its path', () => {
    const r = readMemo(memo, setting, tasks, table)!
    expect(r.map((f) => [f.rel, f.count, f.error, f.secrets.length, f.findings.length])).toEqual([
      ['a/requirements.txt', 3, undefined, 0, 2], ['b/.env', 0, undefined, 1, 0], ['c/package-lock.json', 0, 'not JSON', 0, 0],
    ])
    expect(r[1]!.secrets[0]).toEqual(secret)
    expect(r[0]!.findings.map((f) => [f.id, f.rule, f.package, f.version, f.path])).toEqual([
      ['i1', 'GHSA-1', 'flask', '1.0', 'a/requirements.txt'], ['i2', 'GHSA-1', 'lodash', '4.17.0', 'a/requirements.txt'],
    ])
  })

  it('answers for nothing else: another setting, file list, path or stamp, a damaged memo, refs past the table', () => {
    expect(readMemo(memo, { ...setting, generation: 'g2' }, tasks, table)).toBeUndefined()
    expect(readMemo(memo, { ...setting, agent: 'other' }, tasks, table)).toBeUndefined()
    expect(readMemo(memo, { ...setting, secrets: false }, tasks, table)).toBeUndefined()
    expect(readMemo(memo, { ...setting, roots: ['/r', '/s'] }, tasks, table)).toBeUndefined()
    expect(readMemo(memo, setting, tasks.slice(1), table)).toBeUndefined()
    expect(readMemo(memo, setting, [...tasks, { ...tasks[0]!, abs: '/r/d/x.lock', rel: 'd/x.lock' }], table)).toBeUndefined()
    expect(readMemo(memo, setting, [tasks[1]!, tasks[0]!, tasks[2]!], table)).toBeUndefined()
    expect(readMemo(memo, setting, tasks.map((t, i) => (i === 2 ? { ...t, rel: 'moved/package-lock.json' } : t)), table)).toBeUndefined()
    for (const field of ['size', 'mtimeMs', 'ctimeMs'] as const) {
      expect(readMemo(memo, setting, tasks.map((t, i) => (i === 0 ? { ...t, [field]: t[field] + 1 } : t)), table)).toBeUndefined()
    }
    // Made by a scan that kept no packages: no use to one that wants them, of use to one that does not.
    const unpacked = encodeMemo({ ...setting, packed: false }, files)!
    expect(readMemo(unpacked, setting, tasks, table)).toBeUndefined()
    expect(readMemo(unpacked, { ...setting, packed: false }, tasks, table)).toBeDefined()
    expect(readMemo(memo.subarray(0, memo.length - 4), setting, tasks, table)).toBeUndefined()
    expect(readMemo(memo.subarray(0, 40), setting, tasks, table)).toBeUndefined()
    const short = newGroupTable('g1')
    short.list.push(table.list[0]!)
    short.versions.push(table.versions[0]!)
    expect(readMemo(memo, setting, tasks, short)).toBeUndefined()
    expect(readMemo(memo, setting, tasks, undefined)).toBeUndefined()
  })

  it('is not made past its size limit', () => {
    // Long paths, one string shared: past the limit in paths alone.
    const long = `/r/${'x'.repeat(8192)}/`
    const many = Array.from({ length: Math.ceil(MAX_MEMO_BYTES / 8192) + 1 }, (_, i) => ({ ...files[0]!, abs: long + i, rel: String(i) }))
    expect(encodeMemo(setting, many) === undefined).toBe(true)
    expect(encodeMemo(setting, many.slice(0, 1000)) !== undefined).toBe(true)
  })

  it('does not answer once a side file a parser read has changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-memo-'))
    const side = join(dir, 'go.sum')
    await writeFile(side, 'x')
    const { size, mtimeMs, ctimeMs } = await import('node:fs').then((fs) => fs.statSync(side))
    const withDeps = files.map((f, i) => (i === 0 ? { ...f, deps: [{ path: side, size, mtimeMs, ctimeMs }] } : f))
    const m = encodeMemo(setting, withDeps)!
    expect(readMemo(m, setting, tasks, table)).toBeDefined()
    await writeFile(side, 'xy')
    expect(readMemo(m, setting, tasks, table)).toBeUndefined()
  })
})

describe('the scanner with its memo', () => {
  const later = () => Date.now() + 60_000
  async function setup() {
    const home = await mkdtemp(join(tmpdir(), 'zt-memo-scan-'))
    const tree = join(home, 'tree')
    await cp(join(DEMO, 'tree'), tree, { recursive: true })
    const records = (await readFile(join(DEMO, 'advisories.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => parseOsvRecord(JSON.parse(l)))
    const key = (eco: string, name: string) => `${baseEcosystem(eco)}\0${normalizeName(eco, name)}`
    const advisories: AdvisorySource & { generationId: string } = {
      generationId: 'g1',
      generation() { return this.generationId },
      recordsFor: async (ecosystem, name) => records.filter((r) => r.affected.some((a) => a.package && key(a.package.ecosystem, a.package.name) === key(ecosystem, name))),
    }
    return { home, tree, cacheDir: join(home, 'cache'), opts: { roots: [tree], advisories, hmacKey: new Uint8Array(32), threads: 0 } }
  }
  /** Deletes every file's entry, leaving the memo (and the rest): what a rescan then finds comes from the memo alone. */
  async function dropEntries(dir: string) {
    const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })
    const keys: string[] = []
    for await (const k of db.keys({ gte: 'f!', lt: 'f"' })) keys.push(k)
    await db.batch(keys.map((key) => ({ type: 'del' as const, key })))
    await db.close()
    return keys.length
  }

  it('answers an unchanged tree from the memo alone, and a changed one from the entries', async () => {
    const { tree, cacheDir, opts } = await setup()
    let cache = await ScanCache.open(cacheDir)
    const cold = await scan({ ...opts, cache, now: later })
    // A scan that read files leaves no memo; the next, which reads none, does.
    expect(await cache.memo()).toBeUndefined()
    expect((await scan({ ...opts, cache, now: later })).stats.examined).toBe(0)
    expect(await cache.memo()).toBeDefined()
    await cache.close()
    expect(await dropEntries(cacheDir)).toBe(cold.stats.examined)

    cache = await ScanCache.open(cacheDir)
    const warm = await scan({ ...opts, cache, now: later })
    expect(warm.stats).toMatchObject({ examined: 0, cached: cold.stats.examined, packages: cold.stats.packages })
    expect(JSON.stringify(warm.findings)).toBe(JSON.stringify(cold.findings))
    expect(warm.packages).toEqual(cold.packages)
    expect(warm.errors).toEqual(cold.errors)

    // One file's stamp moves: the memo does not answer, and the entries it stood for are gone, so every file is read again.
    await utimes(join(tree, 'api/requirements.txt'), 1_700_000_000, 1_700_000_000)
    const after = await scan({ ...opts, cache, now: later })
    expect(after.stats.examined).toBe(cold.stats.examined)
    expect(JSON.stringify(after.findings)).toBe(JSON.stringify(cold.findings))
    await cache.close()
  })

  it('leaves no memo where a file could not be cached, nor where the memo would not answer for the next scan\'s setting', async () => {
    const { tree, cacheDir, opts } = await setup()
    const cache = await ScanCache.open(cacheDir)
    // Every file just copied: within the racy window of the real clock, none is cached; the
    // next scan reads them all again, and only the one after leaves a memo.
    await scan({ ...opts, cache })
    expect((await scan({ ...opts, cache })).stats.examined).toBeGreaterThan(0)
    expect(await cache.memo()).toBeUndefined()
    await scan({ ...opts, cache, now: later })
    expect(await cache.memo()).toBeUndefined()
    await scan({ ...opts, cache, now: later })
    expect(await cache.memo()).toBeDefined()
    // New advisories: every file is matched again (its entry rewritten), and no memo is left
    // until a scan finds every entry as it was.
    opts.advisories.generationId = 'g2'
    expect((await scan({ ...opts, cache, now: later })).stats.examined).toBe(0)
    expect(await cache.memo()).toBeUndefined()
    await scan({ ...opts, cache, now: later })
    const before = await cache.memo()
    expect(before).toBeDefined()
    // A scan the memo does not answer for (no secrets) drops it before changing the cache, and
    // leaves its own where it reads nothing.
    const noSecrets = await scan({ ...opts, cache, secrets: false, now: later })
    expect(noSecrets.stats.examined).toBe(0)
    const own = await cache.memo()
    expect(own).toBeDefined()
    expect(Buffer.compare(Buffer.from(own!), Buffer.from(before!))).not.toBe(0)
    expect(noSecrets.findings.some((f) => f.kind === 'secret')).toBe(false)
    // A file changed: the scan reads it (and the .env, whose entry the scan without secrets
    // let go), drops the memo and leaves none.
    await writeFile(join(tree, 'api/requirements.txt'), 'flask==2.0.1\n')
    expect((await scan({ ...opts, cache, now: later })).stats.examined).toBe(2)
    expect(await cache.memo()).toBeUndefined()
    await cache.close()
  })
})
