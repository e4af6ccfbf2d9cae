// npm run bench:hub-rematch — the hub re-matching 1,000,000 stored inventory entries
// (1,000 agents × 1,000 packages, 5 % of them packages some advisory lists) against real
// advisories (Go, PyPI, npm), then enriching every finding (CVSS from vectors, EPSS, KEV,
// risk), upgrade advice and suppressions. Targets (issue 6): re-match ≤ 60 s and ≤ 500 MB
// RSS; enrichment ≥ 20,000 findings/s. Each step runs in its own process (peak RSS per step).
import { runStep } from './step.ts'
import { SHARED_DATA } from './scan-tree.ts'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const DATA = SHARED_DATA
if (!existsSync(DATA)) { console.log(`bench:hub-rematch needs ${DATA}`); process.exit(0) }
const work = join(tmpdir(), 'zt-bench-hub-rematch')
rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })

const step = (...args: string[]) => runStep('hub-rematch-run.ts', args)

const sources = ['go-vulndb/go-vulndb-osv.jsonl', 'pypi-pypa-advisory-database/pypa-osv.jsonl', 'npm-nodejs-security-wg/nodejs-security-wg-npm.jsonl'].map((f) => join(DATA, 'osv', f))
const prep = step('prepare', work, ...sources)
const re = step('rematch', work)
const en = step('enrich', work)
rmSync(work, { recursive: true, force: true })

const f = (n: number | string, d = 0) => Number(n).toLocaleString('en-US', { maximumFractionDigits: d })
const per = (n: number | string, ms: number | string) => f(Number(n) / (Number(ms) / 1000))
console.log(`hub DB: ${f(prep.records!)} advisories in ${f(prep.importMs!)} ms; EPSS ${f(prep.epssLines!)} lines in ${f(prep.epssMs!)} ms = ${per(prep.epssLines!, prep.epssMs!)} lines/s; peak RSS ${prep.rssMb} MB`)
console.log(`re-match: ${f(re.entries!)} entries (${f(re.agents!)} agents, ${f(re.matchedEntries!)} listed) → ${f(re.findings!)} findings in ${f(re.ms!)} ms = ${per(re.entries!, re.ms!)} entries/s; peak RSS ${re.rssMb} MB; longest event-loop stall ${f(re.maxStallMs!, 1)} ms`)
console.log(`enrichment: ${f(en.findings!)} findings (${f(en.groups!)} advisory groups) in ${f(en.enrichMs!)} ms = ${per(en.findings!, en.enrichMs!)} findings/s`)
console.log(`upgrade advice: ${f(en.advice!)} packages in ${f(en.adviceMs!)} ms (top: ${en.top}); suppressions over all findings: ${f(en.suppressMs!)} ms; peak RSS ${en.rssMb} MB`)
