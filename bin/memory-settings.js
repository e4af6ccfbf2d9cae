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
  // A scan's main thread keeps what it matched (findings, ~30 MB on bench:scan's tree) and hands
  // the rest to the cache: V8's young generation (grown to 64 MB semi-spaces by Node 24) and its
  // old generation (let grow to ~4x what lives) held mostly garbage, and each thread that wrote
  // to the cache or parsed kept a malloc arena of its own. Measured there, peak RSS of the cold
  // scan: Node's defaults ~430 MB; 4 MB semi-spaces ~320–340; 2 MB and a 1.3x growing factor
  // ~270–280 (for ~10% more CPU in GC); without MALLOC_ARENA_MAX ~15–30 MB more.
  if (argv[0] === 'scan') return { v8: ['--max-semi-space-size=2', '--heap-growing-percent=30'], env: { MALLOC_ARENA_MAX: '2' } }
  return undefined
}
