// A printable HTML report: counts by severity, then every finding. Every value from a
// finding is escaped: it is text, whatever characters it holds.
import { SEVERITIES } from '../crdt/index.ts'
import type { ReportFinding } from './input.ts'
import { TOOL } from './tool.ts'

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

type HtmlRow = ReportFinding & { agent?: string }

export function toHtml(title: string, findings: HtmlRow[], now = new Date()): string {
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
  const rows = findings.map((f) => `<tr class="sev-${escapeHtml(f.severity)}"><td>${escapeHtml(f.severity)}</td><td>${escapeHtml(f.rule)}</td><td>${escapeHtml(f.title ?? '')}</td><td>${escapeHtml(f.package ? `${f.package}@${f.version}` : f.evidence ?? '')}</td><td>${escapeHtml(f.fixedIn?.join(', ') ?? '')}</td><td>${escapeHtml(f.line ? `${f.path}:${f.line}` : f.path)}</td><td>${escapeHtml(f.agent ?? '')}</td><td>${escapeHtml(f.triage ?? 'open')}</td></tr>`)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f2f2f2}.sev-critical td:first-child{color:#8b0000;font-weight:700}.sev-high td:first-child{color:#b34700;font-weight:700}
.counts span{margin-right:1.5rem}@media print{body{margin:0}a{color:inherit}}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(`${TOOL.name} ${TOOL.version}`)}, ${escapeHtml(now.toISOString())}: ${findings.length} findings</p>
<p class="counts">${counts.map(([s, n]) => `<span>${escapeHtml(s)}: <strong>${n}</strong></span>`).join('')}</p>
<table><thead><tr><th>Severity</th><th>Rule</th><th>Title</th><th>Package / evidence</th><th>Fixed in</th><th>Path</th><th>Agent</th><th>Triage</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></body></html>
`
}
