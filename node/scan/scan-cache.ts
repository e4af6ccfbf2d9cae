// What a scan learned from each file, keyed by its absolute path, so a file whose size,
// mtime and ctime are unchanged is never read or parsed again, and its vulnerability
// findings are reused while the advisory DB is unchanged.
//   f!<path>            → the file's stamp, counts, secrets and findings (what a rescan reads)
//   k!<path>            → its distinct match keys, UTF-8 (read only to match it again)
//   p!<path>            → its packed packages (read only when the inventory is wanted)
//   a!<generation>!<n>  → advisory group n of that DB generation (rule, aliases, severity…)
//   b!<generation>!<n>  → package version n its findings were matched on (ecosystem, name, version)
//   d!<root>            → the root's directory listing (discovery's, tree-listing.ts; stored as listing-codec.ts writes it)
//   g!pruned            → the generation the a!/b! tables were last pruned to (until they are added to)
//   s!memo              → the last scan's whole result, while nothing has changed the cache since (scan-memo.ts)
//   v!zerotrace         → the ZeroTrace version that made the entries (another version's are dropped)
// A file's findings name their advisory group and package version by number, their ids one
// string (cached-findings.ts), in an entry layout of its own (cache-entry.ts), which keeps a
// rescan's decoding and heap small.
import { ClassicLevel } from 'classic-level'
import type { Finding } from '../../crdt/index.ts'
import { ZEROTRACE_VERSION } from '../../protocol/index.ts'
import { contentKey, decodeGroup, decodeVersion, encodeFindings, encodeGroup, encodeVersion, groupsByContent, newGroupTable, sameGroup, versionNumbers, type Group, type GroupTable, type PackageVersion } from './cached-findings.ts'
import { decodeEntry, encodeEntry, type CachedFile, type StoredVulns } from './cache-entry.ts'
import type { ListingStore } from './tree-listing.ts'

/** The entries a scan starts from (ScanCache.readUnder). */
export interface HeldEntries {
  /** This file's entry (undefined where none, or unreadable), handed out once. */
  take(path: string): CachedFile | undefined
  /** The files held under the roots that were never taken: gone since, or no longer scanned. */
  untaken(): string[]
}

export type { CachedFile, CachedVulns } from './cache-entry.ts'

type Op = { type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }

const BATCH = 256
/** How much one read of a range holds at most (larger ranges take more reads). */
const RANGE_BYTES = 256 * 1024 * 1024
const RANGE_ENTRIES = 1_000_000
const EMPTY = new Uint8Array(0)
/** A generation's numbered tables, by key prefix: advisory groups, package versions. */
const GROUPS = 'a'
const VERSIONS = 'b'
type Table = typeof GROUPS | typeof VERSIONS
/**
 * The version that made the entries. Another version's parsers may read a file otherwise (a
 * format it did not know, a fix): its entries would keep what they read until the file
 * changed. The first scan after an upgrade reads every file again.
 */
const MADE_BY = 'v!zerotrace'
/** Set by pruneGenerations; a batch that adds to a table deletes it, so the next prune looks again. */
const PRUNED = 'g!pruned'
const MEMO = 's!memo'
const addsToTable = (op: Op) => op.type === 'put' && (op.key.startsWith(`${GROUPS}!`) || op.key.startsWith(`${VERSIONS}!`))
/** A stored value as UTF-8 text, read in place. */
const text = (v: Uint8Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8')
const tablePrefix = (table: Table, generation: string) => `${table}!${generation}!`
const tableKey = (table: Table, generation: string, n: number) => tablePrefix(table, generation) + String(n).padStart(8, '0')

export class ScanCache {
  readonly #db: ClassicLevel<string, Uint8Array>
  #groups: GroupTable | undefined

  /** Each scan root's directory listing, which discovery reads and replaces. */
  readonly listings: ListingStore = {
    get: (root) => this.#db.get('d!' + root),
    put: (root, listing) => this.#db.put('d!' + root, listing),
  }

  private constructor(db: ClassicLevel<string, Uint8Array>) {
    this.#db = db
  }

  /** Opens (creating) the cache in dir, emptied if another ZeroTrace version made it; fails when another process holds it. */
  static async open(dir: string, version = ZEROTRACE_VERSION): Promise<ScanCache> {
    const db = new ClassicLevel<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    await db.open()
    const madeBy = await db.get(MADE_BY)
    if (madeBy === undefined || text(madeBy) !== version) {
      await db.clear()
      await db.put(MADE_BY, Buffer.from(version, 'utf8'))
    }
    return new ScanCache(db)
  }

  /**
   * Reads, one range per root, the entries of every file under these roots (and of a root
   * that is a file itself); the scan takes its files' entries out of them, decoded as it asks. Findings
   * come back only when cached under `generation`; otherwise `vulns` is left out (match again).
   */
  async readUnder(roots: string[], generation?: string): Promise<HeldEntries> {
    const under = new Map<string, Uint8Array>()
    const own = new Map<string, Uint8Array>()
    const [groups] = await Promise.all([
      generation === undefined ? undefined : this.#groupsOf(generation),
      ...roots.map(async (root) => {
        // The root's own subtree only: `/srv/app` must not reach into `/srv/app2`.
        const prefix = 'f!' + (root.endsWith('/') ? root : root + '/')
        const [value, entries] = await Promise.all([this.#db.get('f!' + root), this.#range(prefix, prefix + '\uffff')])
        if (value !== undefined) own.set(root, value)
        for (let i = 0; i < entries.length; i++) under.set(entries[i]![0].slice(2), entries[i]![1])
      }),
    ])
    return {
      take(path) {
        let v = under.get(path)
        if (v !== undefined) under.delete(path)
        else if (own.size > 0 && (v = own.get(path)) !== undefined) own.delete(path)
        if (v === undefined) return undefined
        try { return decodeEntry(v, groups) } catch { return undefined }
      },
      untaken: () => [...under.keys()],
    }
  }

  /** The memo of the last scan (scan-memo.ts), if it left one. */
  memo(): Promise<Uint8Array | undefined> {
    return this.#db.get(MEMO)
  }

  /** Keeps a scan's memo (undefined: drops the one kept: a scan that will change the cache does so first). */
  async putMemo(memo: Uint8Array | undefined): Promise<void> {
    if (memo) await this.#db.put(MEMO, memo)
    else await this.#db.del(MEMO)
  }

  /** The advisory groups and package versions stored under this DB generation (what cached findings point into). */
  groups(generation: string): Promise<GroupTable> {
    return this.#groupsOf(generation)
  }

  /** The match keys of these paths ('' where none). */
  async keysOf(paths: string[]): Promise<string[]> {
    if (paths.length === 0) return []
    return (await this.#db.getMany(paths.map((p) => 'k!' + p))).map((v) => (v ? text(v) : ''))
  }

  /** The packed packages of these paths (empty where none). */
  async packagesOf(paths: string[]): Promise<Uint8Array[]> {
    if (paths.length === 0) return []
    return (await this.#db.getMany(paths.map((p) => 'p!' + p))).map((v) => v ?? EMPTY)
  }

  /**
   * Writes entries in batches of a few hundred. `packages` replaces the file's cached
   * packages; `undefined` drops them (they would describe an older version of the file),
   * and leaving the field out keeps them (the file itself did not change). `keys` (UTF-8, as the parse workers hand them over) likewise
   * replaces the match keys, or leaves them as they are when left out.
   */
  async putMany(entries: { path: string, file: CachedFile, keys?: Uint8Array, packages?: Uint8Array | undefined }[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      const ops: Op[] = []
      for (const entry of entries.slice(i, i + BATCH)) {
        ops.push({ type: 'put', key: 'f!' + entry.path, value: await this.#encodeFile(entry.file, ops) })
        if (entry.keys !== undefined) ops.push({ type: 'put', key: 'k!' + entry.path, value: entry.keys })
        if (!('packages' in entry)) continue
        if (entry.packages) ops.push({ type: 'put', key: 'p!' + entry.path, value: entry.packages })
        else ops.push({ type: 'del', key: 'p!' + entry.path })
      }
      if (ops.some(addsToTable)) ops.push({ type: 'del', key: PRUNED })
      await this.#db.batch(ops)
    }
  }

  /** Drops these files' entries, match keys and packages. */
  async remove(paths: string[]): Promise<void> {
    for (let i = 0; i < paths.length; i += BATCH) {
      await this.#db.batch(paths.slice(i, i + BATCH).flatMap((p) => [{ type: 'del' as const, key: 'f!' + p }, { type: 'del' as const, key: 'k!' + p }, { type: 'del' as const, key: 'p!' + p }]))
    }
  }

  /** Drops the advisory groups and package versions of every generation but this one (findings under them are matched again anyway). */
  async pruneGenerations(keep: string): Promise<void> {
    // Nothing added to the tables since they were pruned to this generation: nothing to walk
    // (a rescan's case: its four range seeks took ~2–25 ms).
    const pruned = await this.#db.get(PRUNED)
    if (pruned !== undefined && text(pruned) === keep) return
    // Only the ranges either side of the kept generation's keys are walked: a rescan steps
    // through none of its entries.
    const stale: string[] = []
    for (const p of [GROUPS, VERSIONS] as const) {
      for (const range of [{ gte: `${p}!`, lt: tablePrefix(p, keep) }, { gte: `${p}!${keep}"`, lt: `${p}"` }]) {
        for await (const key of this.#db.keys(range)) stale.push(key)
      }
    }
    for (let i = 0; i < stale.length; i += BATCH) await this.#db.batch(stale.slice(i, i + BATCH).map((key) => ({ type: 'del' as const, key })))
    await this.#db.put(PRUNED, Buffer.from(keep, 'utf8'))
  }

  async close(): Promise<void> {
    await this.#db.close()
  }

  /**
   * The entries in [gte, lt) in one read on LevelDB's thread: an iterator otherwise hands
   * them over 16 KiB at a time, each a round trip that waits for this thread (busy walking
   * the tree while the scan cache is read).
   */
  async #range(gte: string, lt: string): Promise<[string, Uint8Array][]> {
    const it = this.#db.iterator({ gte, lt, highWaterMarkBytes: RANGE_BYTES })
    try {
      let out: [string, Uint8Array][] = []
      for (let batch = await it.nextv(RANGE_ENTRIES); batch.length > 0; batch = await it.nextv(RANGE_ENTRIES)) out = out.concat(batch)
      return out
    } finally {
      await it.close()
    }
  }

  async #groupsOf(generation: string): Promise<GroupTable> {
    if (this.#groups?.generation === generation) return this.#groups
    const groups = newGroupTable(generation)
    const [list, versions] = await Promise.all(([GROUPS, VERSIONS] as const).map((table) => this.#numbered(tablePrefix(table, generation))))
    // Entries that do not decode end a table too: findings pointing past the end are matched again.
    for (const value of list!) { try { groups.list.push(decodeGroup(value)) } catch { break } }
    for (const value of versions!) { try { groups.versions.push(decodeVersion(value)) } catch { break } }
    this.#groups = groups
    return groups
  }

  /** The values of `<prefix><n>` from 0 up to the first gap (a write cut short ends a table). */
  async #numbered(prefix: string): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for (const [key, value] of await this.#range(prefix, prefix + '\uffff')) {
      if (Number(key.slice(prefix.length)) !== out.length) break
      out.push(value)
    }
    return out
  }

  /** A file entry's bytes; advisory groups not stored yet join `ops` (the same atomic batch). */
  async #encodeFile(file: CachedFile, ops: Op[]): Promise<Uint8Array> {
    let vulns: StoredVulns | undefined
    const v = file.vulns
    if (v) {
      // Their stored form is noted on them for the scan's memo; an entry read and stored again has it already.
      if (v.stored === undefined) {
        const groups = await this.#groupsOf(v.generation)
        const stored = encodeFindings(v.findings, (f) => this.#groupIndex(groups, f, ops), (ecosystem, name, version) => this.#versionIndex(groups, ecosystem, name, version, ops))
        if (stored) v.stored = stored
      }
      if (v.stored) vulns = { generation: v.generation, agent: v.agent, path: v.path, stored: v.stored }
    }
    return encodeEntry(file, vulns)
  }

  #groupIndex(groups: GroupTable, f: Finding, ops: Op[]): number {
    // The matcher hands out one aliases array per advisory group and version: most findings
    // are found by identity, the rest by content.
    const known = f.aliases ? groups.byAliases.get(f.aliases) : undefined
    if (known !== undefined && sameGroup(groups.list[known]!, f)) return known
    const g: Group = { rule: f.rule, aliases: f.aliases ?? [], severity: f.severity, fixedIn: f.fixedIn ?? [] }
    if (f.score !== undefined) g.score = f.score
    if (f.title !== undefined) g.title = f.title
    const n = numbered(groups.list, groupsByContent(groups), contentKey(g), g, ops, (i) => tableKey(GROUPS, groups.generation, i), encodeGroup)
    if (f.aliases) groups.byAliases.set(f.aliases, n)
    return n
  }

  #versionIndex(groups: GroupTable, ecosystem: string, name: string, version: string, ops: Op[]): number {
    const numbers = versionNumbers(groups, ecosystem, name)
    return numbers.get(version) ?? numbered(groups.versions, numbers, version, [ecosystem, name, version], ops, (i) => tableKey(VERSIONS, groups.generation, i), encodeVersion)
  }
}

/** The number of `value` in a generation's table (`list`, found by `key` in `byKey`); a new one is added, and its entry joins `ops`. */
function numbered<T>(list: T[], byKey: Map<string, number>, key: string, value: T, ops: Op[], keyOf: (n: number) => string, encode: (v: T) => Uint8Array): number {
  let n = byKey.get(key)
  if (n === undefined) {
    n = list.length
    list.push(value)
    byKey.set(key, n)
    ops.push({ type: 'put', key: keyOf(n), value: encode(value) })
  }
  return n
}
