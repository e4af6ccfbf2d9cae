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
// Commands whose memory was measured run with their own V8 heap sizes and glibc malloc
// tunables (bin/memory-settings.js). Both are fixed at start, so the process re-executes itself
// once (same PID) with them; an explicit --max-semi-space-size or GLIBC_TUNABLES value is kept.
const { execWithSettings } = await import('./memory-settings.js')
execWithSettings(process.argv.slice(2))
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
