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
// when it joins the mesh (node/agent/agent-cert.ts wantsMesh: they take as long again).
const args = process.argv.slice(2)
const { loadLazyModules } = await import('../node/index.ts')
await loadLazyModules({ mesh: ['--hub', '--peer', '--listen', '--relay'].some((f) => args.some((a) => a === f || a.startsWith(`${f}=`))) })
flushCompileCache()
