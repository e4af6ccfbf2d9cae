// Compiles the modules a long-running `zt` process loads into Node's compile cache, here in a
// short-lived process (bin/zt.js runs it before `zt agent run`). Node strips a module's types
// only when the cache has no entry for it (a first run, or a changed file), and the stripper
// it loads for that (a WebAssembly build of SWC) keeps ~12–25 MB for the rest of the process:
// an agent idles for weeks, so that memory is spent here instead. Importing runs no command.
import { enableCompileCache, flushCompileCache } from 'node:module'

enableCompileCache()
await import('./main.ts')
// What `zt agent run` (its arguments follow ours) imports when it starts and scans
// (cli/commands/agent.ts, node/agent/agent.ts, node/scan/scanner.ts), and the mesh's modules
// when its options ask for the mesh (they take as long again): read with the command's own
// option spec, decided by the agent's own wantsMesh.
const { parseArgs } = await import('node:util')
const { agentRun } = await import('./commands/agent.ts')
const { loadLazyModules, wantsMesh } = await import('../node/index.ts')
const { values } = parseArgs({ args: process.argv.slice(4), options: agentRun.options, strict: false, allowPositionals: true })
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : [])
await loadLazyModules({ mesh: wantsMesh({ hub: typeof values.hub === 'string' ? values.hub : undefined, peers: list(values.peer), listen: list(values.listen), relay: values.relay === true }) })
flushCompileCache()
