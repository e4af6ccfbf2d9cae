// The memory settings `zt` starts a command's process with, where measurement showed they pay
// (docs/ARCHITECTURE.md "Hub memory", "A scan, from disk to findings"). V8's heap sizes and
// glibc's arenas are fixed when a process starts, so bin/zt.js re-executes itself once with
// them; bench:scan starts its scan step the same way.

/**
 * V8 flags and environment for a `zt` command line (the arguments after the script), or
 * undefined when the command runs with Node's defaults.
 * @param {string[]} argv
 * @returns {{ v8: string[], env: Record<string, string> } | undefined}
 */
export function memorySettings(argv) {
  // A hub's garbage is mostly short-lived (frames, decoded envelopes, index rows): an 8 MB
  // young generation keeps its RSS lower under load and its pauses short.
  if (argv[0] === 'hub' && argv[1] === 'start') return { v8: ['--max-semi-space-size=8'], env: {} }
  // A scan's main thread keeps what it matched and hands the rest straight to the cache: V8's
  // young generation (grown to 64 MB semi-spaces by Node 24) held mostly garbage, and each
  // thread that wrote to the cache or parsed kept a malloc arena of its own.
  if (argv[0] === 'scan') return { v8: ['--max-semi-space-size=4'], env: { MALLOC_ARENA_MAX: '2' } }
  return undefined
}
