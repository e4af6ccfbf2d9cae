import { availableParallelism } from 'node:os'

// The memory settings `zt` starts a command's process with, where measurement showed they pay
// (docs/ARCHITECTURE.md "Hub memory", "Scan memory"). V8's heap sizes and glibc's malloc
// tunables are fixed when a process starts, so bin/zt.js re-executes itself once with them;
// bench:scan starts its scan step the same way.

/**
 * V8 flags and glibc malloc tunables for a `zt` command line (the arguments after the
 * script), or undefined when the command runs with Node's defaults.
 * @param {string[]} argv
 * @returns {{ v8: string[], tunables: string[] } | undefined}
 */
export function memorySettings(argv) {
  // A hub is a long-running server whose garbage is mostly short-lived (frames, decoded
  // envelopes, index rows): an 8 MB young generation (V8's default grows to 16 MB) keeps its
  // RSS lower under load and its pauses short (bench:sync). glibc's malloc serves a buffer
  // above its mmap threshold (128 KiB) from its own mapping, returned when freed, but raises
  // the threshold to the largest buffer freed so far: the hub's envelope batches (hundreds of
  // KiB each, hundreds of sessions at once) then land in the main heap, whose freed middle is
  // never returned. A fixed threshold keeps them out (bench:sync, 200 agents: ~30–60 MB less
  // RSS). Other C libraries ignore the variable.
  if (argv[0] === 'hub' && argv[1] === 'start') return { v8: ['--max-semi-space-size=8'], tunables: ['glibc.malloc.mmap_threshold=131072'] }
  // An agent daemon keeps its findings doc open (100,000 findings: ~150 MB of heap) and adds to
  // it on every scan and every envelope it relays. Node 24 grows the young generation to 64 MB
  // semi-spaces, and with most of what a write allocates surviving (the doc's new items), one
  // scavenge copied up to 60 MB: 35–83 ms pauses, every few rounds of 1,000 new findings
  // (bench:sync section 2, the agent's side; 16 MB: at most ~24 ms, and no more time in all).
  // Idle, the agent hands glibc's free pages back (malloc_trim, protocol/heap.ts), but not the
  // tops of the threads' own arenas, which glibc trims only on free(): two arenas in all
  // leave fewer such tops (after scanning 55,000 packages: idle ~100 → ~88 MB; the
  // 100,000-finding store write unchanged within this host's noise, 6 interleaved runs each).
  if (argv[0] === 'agent' && argv[1] === 'run') return { v8: ['--max-semi-space-size=16'], tunables: ['glibc.malloc.arena_max=2'] }
  // A scan's main thread keeps what it matched (findings, ~30 MB on bench:scan's tree) and hands
  // the rest to the cache: V8's young generation (grown to 64 MB semi-spaces by Node 24) and its
  // old generation (let grow to ~4x what lives) held mostly garbage, and each thread that wrote
  // to the cache or parsed kept a malloc arena of its own. Measured there, peak RSS of the cold
  // scan: Node's defaults ~430 MB; 4 MB semi-spaces ~320–360; 2 MB and a 1.3x growing factor
  // ~270–290 (~12% less throughput: the flags are process-wide, workers collect more often
  // too); without the arena cap 15–30 MB more.
  // V8's optimizing compilers (Maglev, TurboFan) run as many background jobs at once as it has
  // worker threads (Node gives it four); a scan's are limited to one core fewer than the
  // machine has. A rescan runs many short hot loops once (decoding 10,000 cache entries and
  // 151,513 findings, stat'ing 20,000 paths), each setting compile jobs going: on a 2-core
  // machine they took the cores from the scan's own thread, which did the same work (CPU
  // time equal) in more time. bench:scan's rescan, 17 interleaved runs each: 202 → 192 ms;
  // the cold scan unchanged (time and peak RSS within their noise). All of V8's background
  // threads down to two (`--v8-pool-size`) gained as much but cost the cold scan ~10 MB of
  // peak RSS (its collections' helpers fewer).
  if (argv[0] === 'scan') return { v8: ['--max-semi-space-size=2', '--heap-growing-percent=30', ...compileThreads(availableParallelism() - 1)], tunables: ['glibc.malloc.arena_max=2'] }
  return undefined
}

/**
 * V8 flags that let its optimizing compilers run at most `n` (at least one) background jobs at once.
 * @param {number} n
 */
function compileThreads(n) {
  const k = Math.max(1, n)
  return [`--concurrent-maglev-max-threads=${k}`, `--concurrent-turbofan-max-threads=${k}`]
}

/**
 * The environment of a process started with these settings: their glibc tunables, then any
 * the caller's environment sets (glibc applies them in order, so the caller's own win).
 * @param {{ v8: string[], tunables: string[] }} settings
 * @param {Record<string, string | undefined>} env
 * @returns {Record<string, string | undefined>}
 */
export function environmentFor(settings, env) {
  const tunables = [...settings.tunables, ...(env.GLIBC_TUNABLES ? [env.GLIBC_TUNABLES] : [])]
  return tunables.length === 0 ? env : { ...env, GLIBC_TUNABLES: tunables.join(':') }
}

/**
 * Re-executes this process (same PID) with the settings of the `zt` command line `argv`, as
 * `zt` starts that command (benches use it to run an agent's side as `zt agent run` would);
 * returns, doing nothing, where there are none, where the process already runs with an
 * explicit --max-semi-space-size, or where Node cannot re-execute.
 * @param {string[]} argv
 */
export function execWithSettings(argv) {
  const settings = memorySettings(argv)
  if (settings && typeof process.execve === 'function' && !process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
    process.execve(process.execPath, [process.execPath, ...settings.v8, ...process.execArgv, ...process.argv.slice(1)], environmentFor(settings, process.env))
  }
}
