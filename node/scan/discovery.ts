// Finds the files a scan reads under its roots: fast-glob over each root, default ignores
// (node_modules, vendor, .git contents), user excludes, a size cap, and symlinks followed
// at most once per real directory so a link loop can never make the walk go round. Given a
// listing store, directories unchanged since the last walk are not read again
// (tree-listing.ts); every file is stat'ed on every walk.
import { realpath, stat } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { DEFAULT_IGNORES, DEFAULT_MAX_FILE_SIZE } from './constants.ts'
import { decodeListing, encodeListing } from './listing-codec.ts'
import { pathOf, walkChanged, walkTree, type DirRecord, type ListingStore } from './tree-listing.ts'

export type { ListingStore } from './tree-listing.ts'

export interface DiscoveredFile {
  /** The scan root this file was found under (absolute). */
  root: string
  /** Absolute path as walked (through symlinks, if any). */
  abs: string
  /** Path relative to the root, with `/` separators: what findings and packages name. */
  rel: string
  size: number
  mtimeMs: number
  ctimeMs: number
}

export interface ScanWarning { path: string, message: string }

export interface DiscoverOptions {
  /** Extra globs to leave out, relative to each root (`--exclude`). */
  exclude?: string[]
  /** Files larger than this are skipped with a warning. */
  maxFileSize?: number
  /** Where each root's directory listing is kept between walks; without one every directory is read. */
  listings?: ListingStore
  /** The clock (ms since the epoch): directories changed too recently to trust their stamps are read again next time. */
  now?: () => number
  signal?: AbortSignal
}

export interface Discovery {
  files: DiscoveredFile[]
  warnings: ScanWarning[]
  /** Directories read this time; the others came from the listing. */
  listed: number
}

/** Every regular file under the roots, deduplicated by real path. */
export async function discover(roots: string[], opts: DiscoverOptions = {}): Promise<Discovery> {
  const maxSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE
  const ignore = [...DEFAULT_IGNORES, ...(opts.exclude ?? [])]
  // A listing made under other ignores is of no use: fast-glob would have kept other names.
  const ignoreKey = JSON.stringify(ignore)
  const now = (opts.now ?? Date.now)()
  const out: Discovery = { files: [], warnings: [], listed: 0 }
  const seenReal = new Set<string>()
  const walkedDirs = new Set<string>()
  const relTo = (root: string, abs: string) => relative(root, abs).split(sep).join('/')
  /** Whether the root being walked needs its listing stored again. */
  let changed = false

  const addFile = (root: string, abs: string, rel: string, st: { size: number, mtimeMs: number, ctimeMs: number }): void => {
    if (st.size > maxSize) {
      out.warnings.push({ path: rel, message: `skipped: ${st.size} bytes is over the ${maxSize}-byte limit` })
      return
    }
    out.files.push({ root, abs, rel, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs })
  }

  /** Walks `dir` (the root, or a linked directory under it), then the links it holds. */
  const walk = async (root: string, dir: string, previous: Map<string, DirRecord[]> | undefined, next: Map<string, DirRecord[]>): Promise<void> => {
    opts.signal?.throwIfAborted()
    const realDir = await realpath(dir)
    if (walkedDirs.has(realDir)) return
    walkedDirs.add(realDir)
    const tree = walkTree(dir, ignore, previous?.get(dir), now)
    next.set(dir, tree.records)
    changed ||= walkChanged(previous?.get(dir), tree)
    out.listed += tree.listed
    for (const path of tree.unreadable) out.warnings.push({ path: relTo(root, path) || '.', message: 'unreadable directory' })
    for (const path of tree.unnamed) out.warnings.push({ path: relTo(root, path), message: 'skipped: a name on its path holds a backslash, which the walk reads as a separator' })
    const prefix = dir === root ? '' : relTo(root, dir) + '/'
    for (let i = 0; i < tree.files.length; i++) {
      const f = tree.files[i]!
      // No link is followed inside a walk: a file's real path is its path under the real directory.
      const real = realDir === dir ? f.abs : pathOf(realDir, f.rel)
      if (seenReal.has(real)) continue
      seenReal.add(real)
      addFile(root, f.abs, prefix === '' ? f.rel : prefix + f.rel, f)
    }
    // In path order, so which route names a file reached twice does not hang on readdir order.
    for (const link of tree.links.sort()) {
      try {
        const [real, st] = await Promise.all([realpath(link), stat(link)])
        if (st.isDirectory()) {
          // A link back into a directory already walked (a loop, or a second route) adds nothing.
          if (!isInside(real, walkedDirs)) await walk(root, link, previous, next)
        } else if (st.isFile() && !seenReal.has(real)) {
          seenReal.add(real)
          addFile(root, link, relTo(root, link), st)
        }
      } catch (err) {
        out.warnings.push({ path: relTo(root, link), message: `broken symlink: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` })
      }
    }
  }

  for (const r of roots) {
    const root = resolve(r)
    let st
    try { st = await stat(root) } catch (err) {
      out.warnings.push({ path: r, message: `cannot scan: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` })
      continue
    }
    if (st.isFile()) {
      const real = await realpath(root)
      if (!seenReal.has(real)) { seenReal.add(real); addFile(resolve(root, '..'), root, relTo(resolve(root, '..'), root), st) }
      continue
    }
    const previous = opts.listings ? decodeListing(await opts.listings.get(root), ignoreKey) : undefined
    const next = new Map<string, DirRecord[]>()
    changed = false
    await walk(root, root, previous, next)
    // A linked directory no longer walked drops out of the listing too.
    if (opts.listings && (changed || next.size !== previous?.size)) await opts.listings.put(root, encodeListing(ignoreKey, next))
  }
  return out
}

function isInside(real: string, dirs: Set<string>): boolean {
  for (let p = real; ; p = resolve(p, '..')) {
    if (dirs.has(p)) return true
    if (p === '/' || p === resolve(p, '..')) return false
  }
}
