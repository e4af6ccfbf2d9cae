// What the hub's enricher says of a finding: the risk score, the CVSS base score with its
// vector broken into labelled metrics, EPSS (probability and percentile) and CISA KEV with
// its dates. Bound as text like every other piece of finding data.
import { LitElement, css, html, nothing } from 'lit'
import type { Enrichment } from '../api/types.ts'
import { cvssBreakdown, type CvssMetric } from '../cvss-vector.ts'
import { shared } from './shared-styles.ts'

const pct = (x: number) => `${(x * 100).toFixed(x < 0.001 ? 3 : x < 0.1 ? 2 : 1)}%`
const GROUPS: { group: CvssMetric['group'], title: string }[] = [
  { group: 'base', title: 'Base metrics' }, { group: 'threat', title: 'Threat' }, { group: 'temporal', title: 'Temporal' },
  { group: 'environmental', title: 'Environmental' }, { group: 'supplemental', title: 'Supplemental' },
]

export class ZtFindingScores extends LitElement {
  static override properties = { enrichment: { attribute: false }, score: { type: Number } }
  declare enrichment: Enrichment | null | undefined
  /** The finding's own CVSS score (from the agent's match), shown when the hub scored none. */
  declare score: number | undefined

  static override styles = [shared, css`
    :host { display: block; }
    .scores { display: flex; flex-wrap: wrap; gap: 8px; margin: 4px 0 10px; }
    .score { border: 1px solid var(--border); border-radius: 6px; padding: 4px 10px; display: flex; flex-direction: column; min-width: 6.5em; }
    .score b { font-size: 1.15rem; }
    .score span { font-size: .8rem; color: var(--fg-muted); }
    .kev { border-color: var(--danger); }
    .kev b { color: var(--danger); }
    table { border-collapse: collapse; width: 100%; font-size: .9rem; margin-bottom: 6px; }
    caption { text-align: left; font-weight: 600; color: var(--fg-muted); font-size: .8rem; padding: 4px 0; }
    th, td { text-align: left; padding: 2px 8px 2px 0; vertical-align: top; }
    th { font-weight: normal; color: var(--fg-muted); }
  `]

  constructor() {
    super()
    this.enrichment = undefined
    this.score = undefined
  }

  #cvss(e: Enrichment) {
    if (!e.cvss) return this.score !== undefined ? html`<p class="muted">CVSS ${this.score} (from the advisory; no vector scored on the hub)</p>` : nothing
    const b = cvssBreakdown(e.cvss.vector)
    return html`
      <p class="mono" data-vector>${e.cvss.vector}</p>
      ${b ? GROUPS.filter((g) => b.metrics.some((m) => m.group === g.group)).map((g) => html`
        <table data-group=${g.group}><caption>${g.title}</caption>
          <tbody>${b.metrics.filter((m) => m.group === g.group).map((m) => html`<tr data-metric=${m.key}><th scope="row">${m.name}</th><td>${m.label} <span class="muted mono">(${m.key}:${m.value})</span></td></tr>`)}</tbody>
        </table>`) : html`<p class="muted">The vector could not be read.</p>`}`
  }

  override render() {
    const e = this.enrichment
    if (!e) return this.score !== undefined ? html`<p class="muted">CVSS ${this.score}; the hub holds no enrichment for it yet.</p>` : html`<p class="muted">The hub holds no enrichment for this finding yet.</p>`
    return html`
      <div class="scores">
        <div class="score" data-score="risk"><b>${e.risk}</b><span>risk (0–100)</span></div>
        ${e.cvss ? html`<div class="score" data-score="cvss"><b>${e.cvss.score.toFixed(1)}</b><span>CVSS ${e.cvss.version === 'cvss4' ? '4.0' : '3.x'} base</span></div>` : nothing}
        ${e.epss ? html`<div class="score" data-score="epss"><b>${pct(e.epss.epss)}</b><span>EPSS, percentile ${pct(e.epss.percentile)}</span></div>` : nothing}
        ${e.kev ? html`<div class="score kev" data-score="kev" role="note"><b>KEV</b><span>known exploited${e.kev.ransomware ? ', ransomware' : ''}</span></div>` : nothing}
      </div>
      ${e.kev ? html`<p data-kev>CISA lists ${e.kev.cve} as exploited in the wild (${e.kev.vendor} ${e.kev.product}${e.kev.name ? ` — ${e.kev.name}` : ''}): added ${e.kev.dateAdded}${e.kev.dueDate ? `, remediation due ${e.kev.dueDate}` : ''}.</p>` : nothing}
      ${e.epss ? html`<p class="muted" data-epss>EPSS of ${e.epss.cve} on ${e.epss.date}: ${pct(e.epss.epss)} chance of exploitation in the next 30 days, higher than ${pct(e.epss.percentile)} of scored CVEs.</p>` : nothing}
      ${this.#cvss(e)}`
  }
}
customElements.define('zt-finding-scores', ZtFindingScores)
declare global { interface HTMLElementTagNameMap { 'zt-finding-scores': ZtFindingScores } }
