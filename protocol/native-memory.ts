// What an idle process hands back through the native addon (native/syscalls,
// protocol/native-syscalls.ts): glibc's free malloc pages, and the clean pages of its file
// mappings (the Node binary's code and read-only data, LevelDB's mapped tables) that no other
// process maps. Where the addon was not built, off glibc or off Linux, both do nothing.
import { readFileSync } from 'node:fs'
import { syscalls as helper } from './native-syscalls.ts'

/**
 * Hands the free pages of every malloc arena back to the system; true when any were.
 * glibc returns an arena's memory on free() only from its top, above a threshold it raises as
 * large buffers come and go: what a scan's threads freed in the middle stays resident otherwise.
 */
export function trimMalloc(): boolean {
  return helper()?.trim() ?? false
}

/** A mapping of /proc/self/maps: its address range and the file it maps, if any. */
export interface Mapping {
  start: number
  end: number
  writable: boolean
  path: string
}

/** The lines of /proc/<pid>/maps (`start-end perms offset dev inode [path]`). */
export function parseMaps(text: string): Mapping[] {
  const out: Mapping[] = []
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \d+\s*(.*)$/.exec(line)
    if (m) out.push({ start: Number.parseInt(m[1], 16), end: Number.parseInt(m[2], 16), writable: m[3][1] === 'w', path: m[4] })
  }
  return out
}

/**
 * Whether an idle process should give a mapping's pages back: a read-only mapping of a real
 * file. Its pages are clean copies of the file, read again when next touched. Not writable
 * mappings (their pages may hold what was written), nor anonymous memory, devices or memfds.
 */
export function pageable(m: Mapping): boolean {
  return !m.writable && m.path.startsWith('/') && !m.path.startsWith('/dev/') && !m.path.startsWith('/memfd:')
}

/**
 * Asks the kernel to reclaim the pages of this process's read-only file mappings that no other
 * process maps (MADV_PAGEOUT): code and data a scan or start-up touched once. What the process
 * touches again is read back from the file (the page cache, or the disk once evicted). Returns
 * the bytes of the mappings the kernel accepted; 0 without the helper (built on Linux only) or
 * on kernels before 5.4.
 */
export function pageOutFileMappings(): number {
  const h = helper()
  if (!h) return 0
  let maps: Mapping[]
  try {
    maps = parseMaps(readFileSync('/proc/self/maps', 'latin1'))
  } catch {
    return 0
  }
  let bytes = 0
  for (const m of maps) if (pageable(m) && h.pageOut(m.start, m.end - m.start) === 0) bytes += m.end - m.start
  return bytes
}
