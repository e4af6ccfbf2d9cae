// The native addon npm's install step builds where it can (native/syscalls,
// scripts/build-native.js): system calls Node has no way, or no cheap way, to make. Loaded once;
// null where it was not built (off Linux, or without a C toolchain): its callers then do
// without (native-memory.ts) or the slower way (node/scan/stat-batch.ts).
import { createRequire } from 'node:module'

const ADDON = '../native/syscalls/build/Release/syscalls.node'

export interface Syscalls {
  /** glibc's malloc_trim(0): whether any pages were handed back. */
  trim(): boolean
  /** madvise(MADV_PAGEOUT) over [start, start + length): 0 or the errno. */
  pageOut(start: number, length: number): number
  /** lstat (stat with `follow`) of `count` NUL-separated paths: kind, size, mtimeMs, ctimeMs of each into `out` (native/syscalls/stat.c). */
  statMany(paths: string, count: number, follow: boolean, out: Float64Array): void
}

let loaded: Syscalls | null | undefined

export function syscalls(): Syscalls | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)(ADDON) as Syscalls
    } catch {
      loaded = null
    }
  }
  return loaded
}
