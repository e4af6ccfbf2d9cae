// Scan results for people: vulnerabilities grouped by package, then secrets, then problems.
import { SEVERITIES, severityRank, type Finding, type Severity } from '../../../crdt/index.ts'
import type { ScanResult } from '../scanner.ts'

const COLOR: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', unknown: '\x1b[37m' }
const RESET = '\x1b[0m'

export function toTable(result: ScanResult, opts: { color: boolean }): string {
  const sev = (s: Severity) => {
    const label = s.toUpperCase().padEnd(8)
    return opts.color ? COLOR[s] + label + RESET : label
  }
  const out: string[] = []
  const vulns = result.findings.filter((f) => f.kind === 'vuln')
  const byPackage = new Map<string, Finding[]>()
  for (const f of vulns) {
    const key = `${f.package} ${f.version} (${f.ecosystem})  ${f.path}`
    const list = byPackage.get(key) ?? []
    list.push(f)
    byPackage.set(key, list)
  }
  const worst = (list: Finding[]) => Math.max(...list.map((f) => severityRank(f.severity)))
  if (byPackage.size > 0) {
    out.push(`Vulnerable packages (${byPackage.size}, ${vulns.length} findings)`)
    for (const [pkg, list] of [...byPackage].sort((a, b) => worst(b[1]) - worst(a[1]) || (a[0] < b[0] ? -1 : 1))) {
      out.push(`  ${pkg}`)
      for (const f of list.sort((a, b) => severityRank(b.severity) - severityRank(a.severity))) {
        const ids = f.aliases && f.aliases.length > 1 ? `${f.rule} (${f.aliases.filter((a) => a !== f.rule).join(', ')})` : f.rule
        const fix = f.fixedIn?.length ? `  fixed in ${f.fixedIn.join(', ')}` : ''
        out.push(`    ${sev(f.severity)} ${ids}${f.title ? `  ${f.title}` : ''}${fix}`)
      }
    }
    out.push('')
  }
  const secrets = result.findings.filter((f) => f.kind === 'secret')
  if (secrets.length > 0) {
    out.push(`Secrets (${secrets.length})`)
    for (const f of secrets) out.push(`  ${sev(f.severity)} ${f.rule}  ${f.path}:${f.line ?? 0}  ${f.evidence ?? ''}`)
    out.push('')
  }
  if (result.errors.length > 0) {
    out.push(`Files that could not be read (${result.errors.length})`)
    for (const e of result.errors) out.push(`  ${e.path}: ${e.message}`)
    out.push('')
  }
  const counts = SEVERITIES.map((s) => [s, result.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0)
  out.push(`${result.stats.packages} packages in ${result.stats.files} files; ${result.findings.length} findings` +
    (counts.length ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : '') + `; ${result.stats.durationMs} ms`)
  return out.join('\n') + '\n'
}

export function toJson(result: ScanResult): unknown {
  return { packages: result.packages, findings: result.findings, errors: result.errors, warnings: result.warnings, stats: result.stats }
}
