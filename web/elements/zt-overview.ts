// A tenant at a glance: open findings by severity and kind, agents online / offline /
// stale, the trend of the last 30 days and the packages with the most open findings.
// Refetched (debounced) whenever the live docs say something moved.
import { LitElement, css, html } from 'lit'
import type { Api } from '../api/client.ts'
import { KINDS, SEVERITIES, type Summary, type TrendDay } from '../api/types.ts'
import { FetchController, debounce } from '../controllers/fetch-controller.ts'
import type { LiveSync } from '../live/live-sync.ts'
import { pathFor } from '../router.ts'
import { shared } from './shared-styles.ts'
import './zt-trend-chart.ts'

export const TREND_DAYS = 30

export class ZtOverview extends LitElement {
  static override properties = { api: { attribute: false }, tenant: { type: String }, live: { attribute: false } }
  declare api: Api
  declare tenant: string
  declare live: LiveSync | undefined
  readonly data = new FetchController<{ summary: Summary, trend: TrendDay[] }>(this, async (signal) => {
    const [summary, trend] = await Promise.all([this.api.summary(this.tenant, signal), this.api.trends(this.tenant, TREND_DAYS, signal)])
    return { summary, trend }
  })
  #unlisten: (() => void) | undefined
  readonly #refresh = debounce(() => { void this.data.run() }, 250)

  static override styles = [shared, css`
    :host { display: block; padding: 16px; }
    .grid { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); margin-bottom: 12px; }
    .counts { display: flex; flex-wrap: wrap; gap: 8px; }
    .count { display: flex; flex-direction: column; align-items: flex-start; min-width: 86px; padding: 8px 10px; border-radius: 6px; border: 1px solid var(--border); text-decoration: none; color: var(--fg); }
    .count:hover { background: var(--bg-hover); }
    .count b { font-size: 1.5rem; line-height: 1.1; }
    .count span { font-size: .8rem; color: var(--fg-muted); }
    ol { margin: 0; padding-left: 1.3rem; } li { margin: 2px 0; }
  `]

  override connectedCallback() {
    super.connectedCallback()
    this.#unlisten = this.live?.on(() => this.#refresh())
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    this.#unlisten?.()
    this.#refresh.cancel()
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('tenant') || changed.has('api')) void this.data.run({ keep: false })
    if (changed.has('live') && this.isConnected) { this.#unlisten?.(); this.#unlisten = this.live?.on(() => this.#refresh()) }
  }

  #count(label: string, n: number, href: string, attr: string) {
    return html`<a class="count" href=${href} data-count=${attr}><b>${n}</b><span>${label}</span></a>`
  }

  override render() {
    const { value, error } = this.data
    if (!value) return error ? html`<p class="error" role="alert">${error.message}</p>` : html`<p class="muted" aria-busy="true">Loading…</p>`
    const { summary, trend } = value
    const sev = summary.counts.severity ?? {}
    const kind = summary.counts.kind ?? {}
    const a = summary.agents
    const open = SEVERITIES.reduce((n, s) => n + (sev[s] ?? 0), 0)
    const packages = Object.entries(summary.counts.package ?? {}).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, 5)
    const link = (filters: Record<string, string>) => pathFor(this.tenant, 'findings', filters)
    return html`
      <h1>Overview <span class="muted">· ${this.tenant}</span></h1>
      ${error ? html`<p class="error" role="alert">${error.message}</p>` : ''}
      <div class="grid">
        <section class="card" aria-labelledby="sev"><h2 id="sev">Open findings: <span data-count="open">${open}</span></h2>
          <div class="counts">${SEVERITIES.map((s) => this.#count(s, sev[s] ?? 0, link({ severity: s }), `severity-${s}`))}</div>
        </section>
        <section class="card" aria-labelledby="kind"><h2 id="kind">By kind</h2>
          <div class="counts">${KINDS.map((k) => this.#count(k === 'vuln' ? 'vulnerabilities' : k === 'secret' ? 'secrets' : 'configuration', kind[k] ?? 0, link({ kind: k }), `kind-${k}`))}</div>
        </section>
        <section class="card" aria-labelledby="agents"><h2 id="agents">Agents</h2>
          <div class="counts">
            ${this.#count('online', a.online, pathFor(this.tenant, 'agents'), 'agents-online')}
            ${this.#count('offline', a.total - a.online, pathFor(this.tenant, 'agents'), 'agents-offline')}
            ${this.#count('stale (24 h)', a.stale, pathFor(this.tenant, 'agents'), 'agents-stale')}
            ${this.#count('revoked', a.revoked, pathFor(this.tenant, 'agents'), 'agents-revoked')}
          </div>
        </section>
      </div>
      <div class="grid">
        <section class="card" aria-labelledby="trend"><h2 id="trend">Open findings, last ${TREND_DAYS} days</h2><zt-trend-chart .days=${trend}></zt-trend-chart></section>
        <section class="card" aria-labelledby="pkgs"><h2 id="pkgs">Packages with the most open findings</h2>
          ${packages.length === 0 ? html`<p class="muted">None.</p>` : html`<ol>${packages.map(([p, n]) => html`<li><a href=${link({ package: p })}>${p}</a> <span class="muted">(${n})</span></li>`)}</ol>`}
        </section>
      </div>`
  }
}
customElements.define('zt-overview', ZtOverview)
declare global { interface HTMLElementTagNameMap { 'zt-overview': ZtOverview } }
