// glibc's malloc_trim(0), through the native helper npm's install step builds
// (native/malloc-trim, scripts/build-native.js). Where it was not built, or off glibc,
// trimming does nothing.
import { createRequire } from 'node:module'

const HELPER = '../native/malloc-trim/build/Release/malloc_trim.node'

let trim: (() => boolean) | null | undefined

function helper(): (() => boolean) | null {
  if (trim === undefined) {
    try {
      trim = (createRequire(import.meta.url)(HELPER) as { trim: () => boolean }).trim
    } catch {
      trim = null
    }
  }
  return trim
}

/** Whether this process can trim (the helper was built and loads). */
export function canTrimMalloc(): boolean {
  return helper() !== null
}

/**
 * Hands the free pages of every malloc arena back to the system; true when any were.
 * glibc returns an arena's memory on free() only from its top, above a threshold it raises as
 * large buffers come and go: what a scan's threads freed in the middle stays resident otherwise.
 */
export function trimMalloc(): boolean {
  return helper()?.() ?? false
}
