// When a stamp (size, mtime, ctime) can vouch for a file's content or a directory's
// entries. A stamp taken before reading is safe against changes after the read only if
// those changes must give another stamp: true unless the thing was last changed in the
// current tick of the filesystem's clock, where a second change keeps the same mtime (git
// calls such entries "racily clean"). Those are not cached: the next scan reads them again.
import { RACY_WINDOW_COARSE_MS, RACY_WINDOW_MS } from './constants.ts'
import type { FileStamp } from './file-result.ts'
import { statOf } from './stat-batch.ts'

/** Whether something last modified at `mtimeMs` may still change without its stamp moving, seen from `now`. */
export function changedTooRecently(mtimeMs: number, now: number): boolean {
  const window = mtimeMs % 1000 === 0 ? RACY_WINDOW_COARSE_MS : RACY_WINDOW_MS
  return mtimeMs >= now - window
}

/** Whether the side files a cached parse read are as they were (absent ones still absent). */
export function depsUnchanged(deps: FileStamp[] | undefined): boolean {
  if (!deps) return true
  for (const d of deps) {
    const st = statOf(d.path, true)
    if ((st?.size ?? -1) !== d.size || (st?.mtimeMs ?? -1) !== d.mtimeMs || (st?.ctimeMs ?? -1) !== d.ctimeMs) return false
  }
  return true
}
