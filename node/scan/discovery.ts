// Finds the files a scan reads under its roots: fast-glob over each root, default ignores
// (node_modules, vendor, .git contents), user excludes, a size cap, and symlinks followed
// at most once per real directory so a link loop can never make the walk go round.
import fg from 'fast-glob'
import * as fs from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { DEFAULT_IGNORES, DEFAULT_MAX_FILE_SIZE } from './constants.ts'

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
  signal?: AbortSignal
}

export interface Discovery { files: DiscoveredFile[], warnings: ScanWarning[] }

/** Every regular file under the roots, deduplicated by real path. */
export async function discover(roots: string[], opts: DiscoverOptions = {}): Promise<Discovery> {
  const maxSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE
  const ignore = [...DEFAULT_IGNORES, ...(opts.exclude ?? [])]
  const files: DiscoveredFile[] = []
  const warnings: ScanWarning[] = []
  const seenReal = new Set<string>()
  const walkedDirs = new Set<string>()

  const addFile = async (root: string, abs: string, size: number, mtimeMs: number, ctimeMs: number): Promise<void> => {
    const rel = relative(root, abs).split(sep).join('/')
    if (size > maxSize) {
      warnings.push({ path: rel, message: `skipped: ${size} bytes is over the ${maxSize}-byte limit` })
      return
    }
    files.push({ root, abs, rel, size, mtimeMs, ctimeMs })
  }

  const walk = async (root: string, dir: string): Promise<void> => {
    opts.signal?.throwIfAborted()
    const realDir = await realpath(dir)
    if (walkedDirs.has(realDir)) return
    walkedDirs.add(realDir)
    // fast-glob's synchronous walk is several times faster than its stream here (10,000
    // files: ~0.2 s against ~0.8 s); a directory it cannot read is recorded and skipped.
    const unreadable: string[] = []
    const readdirSync = ((path: string, options: never) => {
      try { return fs.readdirSync(path, options) } catch (err) { unreadable.push(path); throw err }
    }) as typeof fs.readdirSync
    const entries = fg.sync('**/*', {
      cwd: dir, ignore, dot: true, onlyFiles: false, followSymbolicLinks: false,
      stats: true, suppressErrors: true, objectMode: true, absolute: true, fs: { ...fs, readdirSync },
    })
    for (const path of unreadable) warnings.push({ path: relative(root, path).split(sep).join('/') || '.', message: 'unreadable directory' })
    const links: string[] = []
    for (const entry of entries) {
      if (entry.dirent.isSymbolicLink()) links.push(entry.path)
      else if (entry.dirent.isFile() && entry.stats) {
        const real = join(realDir, relative(dir, entry.path))
        if (seenReal.has(real)) continue
        seenReal.add(real)
        await addFile(root, entry.path, entry.stats.size, entry.stats.mtimeMs, entry.stats.ctimeMs)
      }
    }
    for (const link of links) {
      try {
        const [real, st] = await Promise.all([realpath(link), stat(link)])
        if (st.isDirectory()) {
          // A link back into a directory already walked (a loop, or a second route) adds nothing.
          if (!isInside(real, walkedDirs)) await walk(root, link)
        } else if (st.isFile() && !seenReal.has(real)) {
          seenReal.add(real)
          await addFile(root, link, st.size, st.mtimeMs, st.ctimeMs)
        }
      } catch (err) {
        warnings.push({ path: relative(root, link).split(sep).join('/'), message: `broken symlink: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` })
      }
    }
  }

  for (const r of roots) {
    const root = resolve(r)
    let st
    try { st = await stat(root) } catch (err) {
      warnings.push({ path: r, message: `cannot scan: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` })
      continue
    }
    if (st.isFile()) {
      const parent = resolve(root, '..')
      if (!seenReal.has(await realpath(root))) { seenReal.add(await realpath(root)); await addFile(parent, root, st.size, st.mtimeMs, st.ctimeMs) }
    } else await walk(root, root)
  }
  return { files, warnings }
}

function isInside(real: string, dirs: Set<string>): boolean {
  for (let p = real; ; p = join(p, '..')) {
    if (dirs.has(p)) return true
    if (p === '/' || p === join(p, '..')) return false
  }
}
