// npm's install step: builds the optional native helper native/syscalls (glibc's
// malloc_trim and madvise, which an idle agent calls to hand memory back, docs/ARCHITECTURE.md
// "Idle agent memory"; stats in batches for a rescan's walk, node/scan/stat-batch.ts). It needs
// node-gyp (npm brings it), python3, make and a C compiler. Where any is missing the build is
// skipped with a warning: everything works without it, an idle agent only keeps more memory
// resident and a rescan stats its files one by one. Plain JavaScript: npm may run it on any Node.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('../native/syscalls/', import.meta.url))
if (process.platform !== 'linux') process.exit(0)
// npm names its own node-gyp for install scripts; run by hand, the one on PATH.
const gyp = process.env.npm_config_node_gyp
const [cmd, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']]
const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' })
if (r.status !== 0) {
  const why = r.error ? r.error.message : (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')
  console.warn(`zt: native/syscalls not built (an idle agent will keep more memory resident, and a rescan stats files one by one):\n${why}`)
}
