#!/usr/bin/env node
// The `zt` launcher. ZeroTrace runs its TypeScript sources directly (Node's type
// stripping) and libp2p needs Promise.withResolvers: both need a modern Node. npm and npx
// put node_modules/.bin first on PATH, where the pinned Node 24 lives.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 18) || typeof Promise.withResolvers !== 'function') {
  process.stderr.write(
    `zt: Node ${process.versions.node} is too old; ZeroTrace needs Node 24 (>= 22.18). ` +
      'Run it through npm (npx zt …), which uses the Node 24 installed in node_modules.\n',
  )
  process.exit(2)
}
// A hub is a long-running server whose garbage is mostly short-lived (frames, decoded
// envelopes, index rows): an 8 MB young generation (V8's default grows to 16 MB) keeps its
// RSS lower under load and its pauses short (docs/ARCHITECTURE.md "Hub memory", bench:sync).
// glibc's malloc serves a buffer above its mmap threshold (128 KiB) from its own mapping,
// returned when freed, but raises the threshold to the largest buffer freed so far: the hub's
// envelope batches (hundreds of KiB each, hundreds of sessions at once) then land in the main
// heap, whose freed middle is never returned. A fixed threshold keeps them out (bench:sync,
// 200 agents: ~30–60 MB less RSS). Other C libraries ignore the variable.
// Heap sizes and malloc tunables are fixed at start, so the process re-executes itself once.
const HUB_HEAP = '--max-semi-space-size=8'
const HUB_MALLOC = 'glibc.malloc.mmap_threshold=131072'
if (process.argv[2] === 'hub' && process.argv[3] === 'start' && typeof process.execve === 'function' &&
    !process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  const tunables = process.env.GLIBC_TUNABLES ? `${process.env.GLIBC_TUNABLES}:${HUB_MALLOC}` : HUB_MALLOC
  process.execve(process.execPath, [process.execPath, HUB_HEAP, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, GLIBC_TUNABLES: tunables })
}
// Compiled (type-stripped) modules are cached on disk between runs, so every `zt` command
// starts faster. A process that strips even one module (a first run, a changed file) holds the
// stripper's memory to its end (12–25 MB): before the agent daemon starts, a short-lived
// child compiles its modules (cli/compile-ahead.ts), so the daemon only reads the cache. Best effort.
const { enableCompileCache, constants } = await import('node:module')
let cache
try { cache = enableCompileCache?.() } catch { /* a read-only cache dir: compile as usual */ }
const argv = process.argv.slice(2)
const daemon = argv[0] === 'agent' && argv[1] === 'run' && !['--once', '--help', '-h'].some((a) => argv.includes(a))
const cached = cache?.status === constants.compileCacheStatus.ENABLED || cache?.status === constants.compileCacheStatus.ALREADY_ENABLED
if (daemon && cached) {
  const { spawnSync } = await import('node:child_process')
  const { fileURLToPath } = await import('node:url')
  spawnSync(process.execPath, [fileURLToPath(new URL('../cli/compile-ahead.ts', import.meta.url)), ...argv], { stdio: 'ignore', timeout: 120_000 })
}
const { main } = await import('../cli/main.ts')
await main(argv)
