// Prometheus text for /metrics: every series prefixed `zerotrace_`. Counters come from the
// mesh (sessions refused by code, envelopes accepted and rejected by reason); histograms of
// API latency and sync lag (envelope signed → stored at the hub) are kept here.

/** Cumulative histogram with fixed upper bounds (seconds). */
export class Histogram {
  readonly #bounds: number[]
  readonly #series = new Map<string, { buckets: number[], sum: number, count: number }>()

  constructor(bounds: number[]) {
    this.#bounds = bounds
  }

  observe(labels: string, seconds: number): void {
    let s = this.#series.get(labels)
    if (!s) { s = { buckets: this.#bounds.map(() => 0), sum: 0, count: 0 }; this.#series.set(labels, s) }
    for (let i = 0; i < this.#bounds.length; i++) if (seconds <= this.#bounds[i]!) s.buckets[i]!++
    s.sum += seconds
    s.count++
  }

  render(name: string, help: string): string[] {
    const out = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`]
    for (const [labels, s] of this.#series) {
      const sep = labels ? `${labels},` : ''
      this.#bounds.forEach((b, i) => out.push(`${name}_bucket{${sep}le="${b}"} ${s.buckets[i]}`))
      out.push(`${name}_bucket{${sep}le="+Inf"} ${s.count}`, `${name}_sum{${labels}} ${s.sum}`, `${name}_count{${labels}} ${s.count}`)
    }
    return out
  }
}

export const label = (v: string) => v.replace(/["\\\n]/g, '_')

export interface MetricsSource {
  counters: Record<string, number>
  sessions: number
  agentsByTenant: Record<string, number>
  apiLatency: Histogram
  syncLag: Histogram
  enrichment?: EnrichmentMetrics
}

/** What enrichment reports (hub/enrich/enrichment-service.ts). */
export interface EnrichmentMetrics {
  queueDepth: number
  rematchRunning: boolean
  rematchEntries: number
  rematchRuns: { ok: number, failed: number }
  rematchFindings: number
  rematchDuration: Histogram
  rescoredRows: number
}

function enrichmentLines(e: EnrichmentMetrics): string[] {
  return [
    '# HELP zerotrace_enrichment_queue_depth Re-match tasks in the worker pool plus tenant re-matches and re-scores running or waiting.', '# TYPE zerotrace_enrichment_queue_depth gauge',
    `zerotrace_enrichment_queue_depth ${e.queueDepth}`,
    '# HELP zerotrace_rematch_running Whether a re-match of stored inventories is running.', '# TYPE zerotrace_rematch_running gauge',
    `zerotrace_rematch_running ${e.rematchRunning ? 1 : 0}`,
    '# HELP zerotrace_rematch_entries Inventory entries read by the running (or last) re-match.', '# TYPE zerotrace_rematch_entries gauge',
    `zerotrace_rematch_entries ${e.rematchEntries}`,
    '# HELP zerotrace_rematch_runs_total Re-matches of a tenant\'s stored inventories, by result.', '# TYPE zerotrace_rematch_runs_total counter',
    `zerotrace_rematch_runs_total{result="ok"} ${e.rematchRuns.ok}`, `zerotrace_rematch_runs_total{result="failed"} ${e.rematchRuns.failed}`,
    '# HELP zerotrace_rematch_findings_total Hub-found findings written (new, changed, resolved).', '# TYPE zerotrace_rematch_findings_total counter',
    `zerotrace_rematch_findings_total ${e.rematchFindings}`,
    ...e.rematchDuration.render('zerotrace_rematch_duration_seconds', 'Duration of a tenant\'s re-match.'),
    '# HELP zerotrace_rescored_rows_total Index rows whose risk or suppression changed on a re-score.', '# TYPE zerotrace_rescored_rows_total counter',
    `zerotrace_rescored_rows_total ${e.rescoredRows}`,
  ]
}

export function renderMetrics(m: MetricsSource): string {
  const lines: string[] = []
  const byPrefix = (prefix: string) => Object.entries(m.counters).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v] as const)
  lines.push('# HELP zerotrace_connected_agents Agents and relays with an open sync session, per tenant.', '# TYPE zerotrace_connected_agents gauge')
  for (const [tenant, n] of Object.entries(m.agentsByTenant)) lines.push(`zerotrace_connected_agents{tenant="${label(tenant)}"} ${n}`)
  lines.push('# HELP zerotrace_sync_sessions Open sync sessions.', '# TYPE zerotrace_sync_sessions gauge', `zerotrace_sync_sessions ${m.sessions}`)
  lines.push('# HELP zerotrace_envelopes_total Envelopes received, by result and reason.', '# TYPE zerotrace_envelopes_total counter')
  lines.push(`zerotrace_envelopes_total{result="accepted",reason=""} ${m.counters['envelopes:accepted'] ?? 0}`)
  lines.push(`zerotrace_envelopes_total{result="duplicate",reason=""} ${m.counters['envelopes:duplicate'] ?? 0}`)
  for (const [reason, v] of byPrefix('envelopes:rejected:')) lines.push(`zerotrace_envelopes_total{result="rejected",reason="${label(reason)}"} ${v}`)
  lines.push('# HELP zerotrace_sessions_refused_total Sync sessions refused, by code.', '# TYPE zerotrace_sessions_refused_total counter')
  for (const [code, v] of byPrefix('refused:')) lines.push(`zerotrace_sessions_refused_total{code="${label(code)}"} ${v}`)
  lines.push('# HELP zerotrace_bundles_total Bundles imported or refused.', '# TYPE zerotrace_bundles_total counter')
  lines.push(`zerotrace_bundles_total{result="imported",code=""} ${m.counters['bundles:imported'] ?? 0}`)
  for (const [code, v] of byPrefix('bundles:refused:')) lines.push(`zerotrace_bundles_total{result="refused",code="${label(code)}"} ${v}`)
  lines.push(...m.apiLatency.render('zerotrace_api_request_duration_seconds', 'API latency by route, method and status.'))
  lines.push(...m.syncLag.render('zerotrace_sync_lag_seconds', 'From an envelope\'s signing to its storage at the hub.'))
  if (m.enrichment) lines.push(...enrichmentLines(m.enrichment))
  return lines.join('\n') + '\n'
}
