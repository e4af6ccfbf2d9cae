// Open findings per day as stacked areas by severity, in SVG (no chart library): the
// numbers stay readable as a table for screen readers.
import { LitElement, css, html, svg, nothing } from 'lit'
import { SEVERITIES, type TrendDay } from '../api/types.ts'
import { shared } from './shared-styles.ts'

const W = 600
const H = 180
const PAD = { l: 36, r: 8, t: 8, b: 22 }

export class ZtTrendChart extends LitElement {
  static override properties = { days: { attribute: false } }
  declare days: TrendDay[]

  constructor() {
    super()
    this.days = []
  }

  static override styles = [shared, css`
    svg { width: 100%; height: auto; display: block; }
    .axis { stroke: var(--border); } text { fill: var(--fg-muted); font-size: 11px; }
    .critical { fill: var(--sev-critical); } .high { fill: var(--sev-high); } .medium { fill: var(--sev-medium); }
    .low { fill: var(--sev-low); } .unknown { fill: var(--sev-unknown); }
    .legend { display: flex; gap: 12px; flex-wrap: wrap; font-size: .8rem; color: var(--fg-muted); }
    .legend .critical { background: var(--sev-critical); } .legend .high { background: var(--sev-high); } .legend .medium { background: var(--sev-medium); }
    .legend .low { background: var(--sev-low); } .legend .unknown { background: var(--sev-unknown); }
    .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
  `]

  override render() {
    const days = this.days
    if (days.length === 0) return html`<p class="muted">No history yet.</p>`
    const totals = days.map((d) => SEVERITIES.reduce((n, s) => n + (d.open[s] ?? 0), 0))
    const max = Math.max(1, ...totals)
    const x = (i: number) => PAD.l + (days.length === 1 ? 0 : (i / (days.length - 1)) * (W - PAD.l - PAD.r))
    const y = (v: number) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b)
    // Stack from the least severe up, so critical sits on top.
    const order = [...SEVERITIES].reverse()
    const base = days.map(() => 0)
    const areas = order.map((sev) => {
      const lower = [...base]
      days.forEach((d, i) => { base[i]! += d.open[sev] ?? 0 })
      if (days.every((d) => !d.open[sev])) return nothing
      const top = days.map((_, i) => `${x(i).toFixed(1)},${y(base[i]!).toFixed(1)}`)
      const bottom = days.map((_, i) => `${x(i).toFixed(1)},${y(lower[i]!).toFixed(1)}`).reverse()
      return svg`<polygon class=${sev} points=${[...top, ...bottom].join(' ')}><title>${sev}</title></polygon>`
    })
    return html`
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Open findings per day, last ${days.length} days, at most ${max}">
        <line class="axis" x1=${PAD.l} y1=${H - PAD.b} x2=${W - PAD.r} y2=${H - PAD.b}></line>
        <text x=${PAD.l - 4} y=${y(max) + 4} text-anchor="end">${max}</text>
        <text x=${PAD.l - 4} y=${H - PAD.b} text-anchor="end">0</text>
        <text x=${PAD.l} y=${H - 6}>${days[0]!.day}</text>
        <text x=${W - PAD.r} y=${H - 6} text-anchor="end">${days.at(-1)!.day}</text>
        ${areas}
      </svg>
      <div class="legend">${SEVERITIES.map((s) => html`<span><i class=${s}></i>${s}</span>`)}</div>
      <table class="sr-only">
        <caption>Open findings per day</caption>
        <tr><th>day</th>${SEVERITIES.map((s) => html`<th>${s}</th>`)}</tr>
        ${days.map((d) => html`<tr><td>${d.day}</td>${SEVERITIES.map((s) => html`<td>${d.open[s] ?? 0}</td>`)}</tr>`)}
      </table>
    `
  }
}
customElements.define('zt-trend-chart', ZtTrendChart)
declare global { interface HTMLElementTagNameMap { 'zt-trend-chart': ZtTrendChart } }
