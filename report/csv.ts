// Findings as CSV (RFC 4180): one row per finding. A cell starting with = + - @ or a tab is
// prefixed with ' so a spreadsheet shows it as text instead of running it as a formula.
import type { ReportFinding } from './input.ts'

export const CSV_COLUMNS = ['id', 'agent', 'severity', 'score', 'kind', 'rule', 'aliases', 'ecosystem', 'package', 'version', 'fixedIn', 'path', 'line', 'status', 'triage', 'firstSeen', 'title'] as const

export function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(' ') : String(v)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

type CsvRow = ReportFinding & { agent?: string, status?: string }

export function toCsv(findings: Iterable<CsvRow>): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const f of findings) {
    const row = { ...f, status: f.status ?? (f.resolvedAt === undefined ? 'open' : 'resolved'), firstSeen: f.firstSeen ? new Date(f.firstSeen).toISOString() : '' } as Record<string, unknown>
    lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','))
  }
  return lines.join('\r\n') + '\r\n'
}
