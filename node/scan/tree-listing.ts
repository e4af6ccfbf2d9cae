// What a walk found in one directory tree, directory by directory, so that a rescan lists
// again only where something changed. Each directory fast-glob read is kept with its stamp
// (mtime and ctime, taken just before reading it) and the files and links fast-glob kept
// from it. Adding, removing or renaming an entry changes its directory's mtime and ctime, so
// while a directory's stamp holds, so do its names; a file's content is another matter, and
// every listed file is stat'ed again on every scan. Under a changed directory the whole
// subtree is listed again by fast-glob, with the same globs and the same cwd, so what it
// keeps there is what a walk of the whole tree would keep.
import fg from 'fast-glob'
import * as fs from 'node:fs'
import { changedTooRecently } from './stamps.ts'
import { DIRECTORY, FILE, statBatch, statOf, type Stamps } from './stat-batch.ts'

/** A directory fast-glob read: where (relative to the walked directory, '' for itself), its stamp, what it kept. */
export interface DirRecord {
  rel: string
  /** mtime and ctime before it was read; null when it is to be read again next time (unreadable, or changed too recently). */
  stamp: [mtimeMs: number, ctimeMs: number] | null
  files: string[]
  links: string[]
}

/** A regular file of the tree: its path (absolute, and relative to the walked directory) and stamp. */
export interface TreeFile { abs: string, rel: string, size: number, mtimeMs: number, ctimeMs: number }

export interface TreeWalk {
  records: DirRecord[]
  files: TreeFile[]
  /** Symbolic links found (absolute, as walked): the caller decides whether to follow them. */
  links: string[]
  /** Directories that could not be read (absolute). */
  unreadable: string[]
  /** Entries fast-glob could not name (a backslash in a name reads to it as a separator), as it names them. */
  unnamed: string[]
  /** How many directories were read, rather than taken from the listing. */
  listed: number
}

/** Where a scan root's listings are kept between scans (the scan cache). */
export interface ListingStore {
  get(root: string): Promise<Uint8Array | undefined>
  put(root: string, listing: Uint8Array): Promise<void>
}

/** Characters a path must not hold to be listed by a glob of itself (the glob syntax's, and the escape). */
const GLOB_CHARS = /[\\()[\]{}*?!+@|]/

/**
 * The files and links under `dir` that fast-glob keeps with these ignores. Directories of
 * `previous` whose stamps hold (and whose files are all still there) are not read again.
 */
export function walkTree(dir: string, ignore: string[], previous: DirRecord[] | undefined, now: number): TreeWalk {
  const out: TreeWalk = { records: [], files: [], links: [], unreadable: [], unnamed: [], listed: 0 }
  // Directories to list again, each with everything under it.
  const stale = new Set<string>(previous ? [] : [''])
  if (previous) {
    // Every recorded directory's stamp, in one batch (stat-batch.ts), then every kept file's.
    const dirs = statBatch(previous.map((r) => pathOf(dir, r.rel)), true)
    for (let i = 0; i < previous.length; i++) if (!stampHolds(dirs, i, previous[i]!.stamp)) stale.add(previous[i]!.rel)
    // A subtree is listed by a glob of its path, escaped; fast-glob's escaping does not carry
    // every name (backslashes, `@(`, `+(`): under such a path, the whole tree is listed again.
    for (const rel of stale) if (GLOB_CHARS.test(rel)) { stale.clear(); stale.add(''); break }
    // A file gone from a directory that looks unchanged (changed while the last walk read
    // it): that directory is listed again too.
    keep(dir, previous, stale, out)
  }
  for (const rel of stale) if (rel === '' || !under(parentOf(rel)!, stale)) list(dir, rel, ignore, now, out)
  return out
}

/** Whether this walk's records differ from `previous` (and so must be stored again). */
export function walkChanged(previous: DirRecord[] | undefined, walk: TreeWalk): boolean {
  return previous === undefined || walk.listed > 0 || walk.unreadable.length > 0 || walk.records.length !== previous.length
}

/**
 * Takes the records outside `stale` with their files stat'ed (all in one batch). Where a file
 * is gone, what that directory gave is dropped and it joins `stale` (a directory's records
 * come before those under it, which are then skipped as under it).
 */
function keep(dir: string, previous: DirRecord[], stale: Set<string>, out: TreeWalk): void {
  // Index loops: this runs once per scan, mostly before V8 optimizes it (see parserFor).
  const rels: string[] = []
  const abs: string[] = []
  /** Where each record's files start in `abs` (-1: under `stale`, not stat'ed). */
  const first = new Int32Array(previous.length).fill(-1)
  for (let i = 0; i < previous.length; i++) {
    const r = previous[i]!
    if (under(r.rel, stale)) continue
    first[i] = abs.length
    const prefix = r.rel === '' ? '' : r.rel + '/'
    for (let j = 0; j < r.files.length; j++) {
      const rel = prefix + r.files[j]!
      rels.push(rel)
      abs.push(pathOf(dir, rel))
    }
  }
  const st = statBatch(abs, false)
  records: for (let i = 0; i < previous.length; i++) {
    const r = previous[i]!
    // Under a directory found stale only now, a record's files were stat'ed for nothing.
    if (first[i] === -1 || under(r.rel, stale)) continue
    const mark = out.files.length
    for (let j = 0, at = first[i]!; j < r.files.length; j++, at++) {
      if (st[4 * at] !== FILE) { out.files.length = mark; stale.add(r.rel); continue records }
      out.files.push({ abs: abs[at]!, rel: rels[at]!, size: st[4 * at + 1]!, mtimeMs: st[4 * at + 2]!, ctimeMs: st[4 * at + 3]! })
    }
    const prefix = r.rel === '' ? '' : r.rel + '/'
    for (const name of r.links) out.links.push(pathOf(dir, prefix + name))
    out.records.push(r)
  }
}

/** Lists the subtree at `rel` with fast-glob, adding its directories, files and links to `out`. */
function list(dir: string, rel: string, ignore: string[], now: number, out: TreeWalk): void {
  const read = new Map<string, DirRecord>()
  // fast-glob reads through this: each directory's stamp is taken just before it is read,
  // so a change made while (or after) it is read gives another stamp next time.
  const readdirSync = ((path: string, options: never) => {
    const st = statOf(path, true)
    const record: DirRecord = { rel: relOf(dir, path), stamp: null, files: [], links: [] }
    try {
      const entries = fs.readdirSync(path, options)
      // Under a name with a backslash fast-glob names nothing right: listed (and reported) every time.
      if (st && !changedTooRecently(st.mtimeMs, now) && !record.rel.includes('\\')) record.stamp = [st.mtimeMs, st.ctimeMs]
      read.set(record.rel, record)
      out.listed++
      return entries
    } catch (err) {
      // Gone meanwhile (its parent changed too, and is listed again): nothing to say. Kept
      // without a stamp, an unreadable directory is tried (and reported) again every scan.
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') { out.unreadable.push(path); read.set(record.rel, record) }
      throw err
    }
  }) as typeof fs.readdirSync
  // fast-glob's synchronous walk is several times faster than its stream here (10,000
  // files: ~0.2 s against ~0.8 s); errors are suppressed, unreadable directories recorded.
  const entries = fg.sync(rel === '' ? '**/*' : fg.escapePath(rel) + '/**/*', {
    cwd: dir, ignore, dot: true, onlyFiles: false, followSymbolicLinks: false,
    stats: false, suppressErrors: true, objectMode: true, absolute: true, fs: { ...fs, readdirSync },
  })
  for (const entry of entries) {
    const rel = relOf(dir, entry.path)
    const record = read.get(parentOf(rel)!)
    if (!record) { if (!entry.dirent.isDirectory()) out.unnamed.push(entry.path); continue }
    if (entry.dirent.isSymbolicLink()) {
      record.links.push(entry.name)
      out.links.push(entry.path)
    } else if (entry.dirent.isFile()) {
      const st = statOf(entry.path, false)
      // Gone or replaced since it was listed: left out, as a walk a moment later would.
      if (!st?.isFile()) continue
      record.files.push(entry.name)
      out.files.push({ abs: entry.path, rel, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs })
    }
  }
  for (const record of read.values()) out.records.push(record)
}

/** Whether the directory stat'ed at `i` of `st` still has `stamp`. */
function stampHolds(st: Stamps, i: number, stamp: DirRecord['stamp']): boolean {
  return stamp !== null && st[4 * i] === DIRECTORY && st[4 * i + 2] === stamp[0] && st[4 * i + 3] === stamp[1]
}

/** Whether `rel` is in `set` or under a directory that is. */
function under(rel: string, set: Set<string>): boolean {
  if (set.size === 0) return false
  for (let p: string | undefined = rel; p !== undefined; p = parentOf(p)) if (set.has(p)) return true
  return false
}

function parentOf(rel: string): string | undefined {
  if (rel === '') return undefined
  const slash = rel.lastIndexOf('/')
  return slash === -1 ? '' : rel.slice(0, slash)
}

/** `dir`/`rel`, as fast-glob writes paths ('/' separated; the filesystem root has its own). */
export function pathOf(dir: string, rel: string): string {
  return rel === '' ? dir : dir.endsWith('/') ? dir + rel : dir + '/' + rel
}

function relOf(dir: string, path: string): string {
  return path.length <= dir.length ? '' : path.slice(dir.endsWith('/') ? dir.length : dir.length + 1)
}
