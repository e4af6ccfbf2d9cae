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
// Compiled (type-stripped) modules are cached on disk between runs: a long-running agent then
// holds no stripper state (about 20 MB), and every `zt` command starts faster. Best effort.
const { enableCompileCache } = await import('node:module')
try { enableCompileCache?.() } catch { /* a read-only cache dir: compile as usual */ }
await import('../cli/main.ts')
