// One side of `npm run bench:secrets`, in its own process so its RSS is its own:
//   node scripts/bench/secrets-run.ts <zerotrace|secretlint> <corpus|tree> [dir]
// Prints one JSON line of figures.
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import fg from 'fast-glob'
import { createSecretScanner } from '../../node/scan/secrets/index.ts'
import { CLAIMS, type LabelledCase } from '../../node/scan/secrets/gitleaks-families.ts'

const [tool, mode, dir] = process.argv.slice(2) as ['zerotrace' | 'zerotrace-pool' | 'secretlint', 'corpus' | 'tree', string | undefined]

if (tool === 'zerotrace-pool') {
  // The whole `zt scan --no-secrets`-less pipeline: discovery, the worker pool, the cache off.
  const { discover, scan } = await import('../../node/index.ts')
  const { files } = await discover([dir!])
  const bytes = files.reduce((n, f) => n + f.size, 0)
  const start = performance.now()
  const r = await scan({ roots: [dir!], hmacKey: new Uint8Array(32), inventory: false })
  const seconds = (performance.now() - start) / 1000
  console.log(JSON.stringify({ tool, mode, files: r.stats.files, mb: bytes / 1e6, seconds, mbPerS: bytes / 1e6 / seconds, hits: r.findings.filter((f) => f.kind === 'secret').length, peakRssMb: process.resourceUsage().maxRSS / 1024 }))
  process.exit(0)
}

type Scan = (content: string, path: string) => Promise<number>

async function scannerFor(name: 'zerotrace' | 'secretlint'): Promise<Scan> {
  if (name === 'zerotrace') {
    const s = createSecretScanner({ hmacKey: new Uint8Array(32) })
    return async (content, path) => s.scan(content, path).length
  }
  const { lintSource } = await import('@secretlint/core')
  const { creator } = await import('@secretlint/secretlint-rule-preset-recommend')
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] }
  return async (content, path) => {
    const r = await lintSource({ source: { content, filePath: path, contentType: 'text' }, options: { config: config as never, maskSecrets: true } })
    return r.messages.length
  }
}

const scanOne = await scannerFor(tool as 'zerotrace' | 'secretlint')

if (mode === 'corpus') {
  const cases = (JSON.parse(readFileSync(join(dir!, 'rule-cases.json'), 'utf8')) as { cases: LabelledCase[] }).cases.filter((c) => CLAIMS[c.rule_id])
  let tp = 0, found = 0, fp = 0, flagged = 0
  for (const c of cases) {
    for (const t of c.true_positives) { tp++; if (await scanOne(t, 'config.txt') > 0) found++ }
    for (const f of c.false_positives) { fp++; if (await scanOne(f, 'config.txt') > 0) flagged++ }
  }
  console.log(JSON.stringify({ tool, mode, tp, found, recall: found / tp, fp, flagged, fpRate: flagged / fp }))
} else {
  const files = await fg('**/*', { cwd: dir!, absolute: true, onlyFiles: true })
  let hits = 0
  const start = performance.now()
  for (const f of files) hits += await scanOne(readFileSync(f, 'utf8'), f)
  const seconds = (performance.now() - start) / 1000
  // The bytes read, counted once the clock has stopped (each text's UTF-8 length measured in
  // the loop was the bench's own work, on both sides; statting first would warm what the
  // loop must find for itself).
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0)
  console.log(JSON.stringify({ tool, mode, files: files.length, mb: bytes / 1e6, seconds, mbPerS: bytes / 1e6 / seconds, hits, peakRssMb: process.resourceUsage().maxRSS / 1024 }))
}
