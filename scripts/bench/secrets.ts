// npm run bench:secrets — ZeroTrace's secret scanner beside secretlint 13 (recommended
// preset), each in its own process: recall and false positives on the labelled gitleaks
// corpus (the token families ZeroTrace claims), and MB/s and peak RSS over a 100 MB tree
// of ordinary source files (copied once from node_modules into the temp dir), read once
// before either side is timed.
import { runStep } from './step.ts'
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import fg from 'fast-glob'

const ROOT = resolve(import.meta.dirname, '../..')
const CORPUS = resolve(ROOT, '../shared/data/secrets')
const TREE = join(tmpdir(), 'zt-bench-source-100mb')
const TARGET_BYTES = 100 * 1024 * 1024

function buildTree(): void {
  if (existsSync(join(TREE, '.complete'))) return
  console.log(`building a ${TARGET_BYTES / 1048576} MB source tree in ${TREE} …`)
  let total = 0
  const files = fg.sync('**/*.{js,ts,mjs,cjs,json,md}', { cwd: join(ROOT, 'node_modules'), onlyFiles: true, followSymbolicLinks: false })
  // node_modules may hold less than the target: copy it again under a second prefix.
  for (let copy = 1; total < TARGET_BYTES; copy++) {
    for (const rel of files) {
      if (total >= TARGET_BYTES) break
      const src = join(ROOT, 'node_modules', rel)
      const size = statSync(src).size
      if (size > 2 * 1024 * 1024) continue
      const dest = join(TREE, `copy-${copy}`, rel)
      mkdirSync(dirname(dest), { recursive: true })
      copyFileSync(src, dest)
      total += size
    }
  }
  writeFileSync(join(TREE, '.complete'), String(total))
}

const run = (tool: string, mode: string, dir: string) => runStep('secrets-run.ts', [tool, mode, dir])

const pct = (x: number) => (100 * x).toFixed(1) + '%'
const rows: string[][] = []
if (existsSync(CORPUS)) {
  const z = run('zerotrace', 'corpus', CORPUS)
  const s = run('secretlint', 'corpus', CORPUS)
  rows.push(['labelled corpus: recall', pct(z.recall as number), pct(s.recall as number), `${z.found}/${z.tp} vs ${s.found}/${s.tp}`])
  rows.push(['labelled corpus: false positives', pct(z.fpRate as number), pct(s.fpRate as number), `${z.flagged}/${z.fp} vs ${s.flagged}/${s.fp}`])
} else {
  console.log(`skipping the labelled corpus: ${CORPUS} is absent`)
}
buildTree()
// Every file read once first, untimed: both sides then read from a warm page cache, as
// bench:scan's do (the first tool to read the tree otherwise paid for it: ZeroTrace ran
// 96 MB/s where, warm, it runs ~160).
for (const f of fg.sync('**/*', { cwd: TREE, absolute: true, onlyFiles: true })) readFileSync(f)
const zt = run('zerotrace', 'tree', TREE)
const pool = run('zerotrace-pool', 'tree', TREE)
const sl = run('secretlint', 'tree', TREE)
rows.push(['100 MB tree: MB/s, one thread', (zt.mbPerS as number).toFixed(1), (sl.mbPerS as number).toFixed(1), `${((zt.mbPerS as number) / (sl.mbPerS as number)).toFixed(1)}× (${(zt.mb as number).toFixed(0)} MB, ${zt.files} files)`])
rows.push(['100 MB tree: peak RSS MB, one thread', (zt.peakRssMb as number).toFixed(0), (sl.peakRssMb as number).toFixed(0), ''])
rows.push(['100 MB tree: findings', String(zt.hits), String(sl.hits), ''])
rows.push(['zt scan pipeline (worker pool): MB/s', (pool.mbPerS as number).toFixed(1), '', `${(pool.mb as number).toFixed(0)} MB (node_modules and .git left out, as zt scan does)`])
rows.push(['zt scan pipeline: peak RSS MB', (pool.peakRssMb as number).toFixed(0), '', ''])
const headers = ['measure', 'ZeroTrace', 'secretlint 13', 'notes']
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
console.log(headers.map((h, i) => h.padEnd(widths[i]!)).join('  '))
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '))
