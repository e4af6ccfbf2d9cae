// A tenant at a glance: open findings by severity and kind, those known exploited (CISA KEV)
// called out, agents online / offline / stale, the trend of the last 30 days, and the
// riskiest packages with the upgrade that clears most of their findings.
// Refetched (debounced) whenever the live docs say something moved.
import { LitElement, css, html } from 'lit'
import type { Api } from '../api/client.ts'
import { KINDS, SEVERITIES, type Summary, type TrendDay, type Upgrade } from '../api/types.ts'
import { FetchController, debounce } from '../controllers/fetch-controller.ts'
import type { LiveSync } from '../live/live-sync.ts'
import { pathFor } from '../router.ts'
import { shared } from './shared-styles.ts'
import './zt-trend-chart.ts'

export const TREND_DAYS = 30
export const TOP_UPGRADES = 5

export class ZtOverview extends LitElement {
  static override properties = { api: { attribute: false }, tenant: { type: String }, live: { attribute: false } }
  declare api: Api
  declare tenant: string
  declare live: LiveSync | undefined
  readonly data = new FetchController<{ summary: Summary, trend: TrendDay[], upgrades: Upgrade[] }>(this, async (signal) => {
    const [summary, trend, upgrades] = await Promise.all([
      this.api.summary(this.tenant, signal), this.api.trends(this.tenant, TREND_DAYS, signal), this.api.upgrades(this.tenant, TOP_UPGRADES, signal),
    ])
    return { summary, trend, upgrades }
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
    .kev { border-left: 4px solid var(--sev-critical); }
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
    const { summary, trend, upgrades } = value
    const sev = summary.counts.severity ?? {}
    const kind = summary.counts.kind ?? {}
    const a = summary.agents
    const open = SEVERITIES.reduce((n, s) => n + (sev[s] ?? 0), 0)
    const kev = summary.counts.kev?.true ?? 0
    const link = (filters: Record<string, string>) => pathFor(this.tenant, 'findings', filters)
    return html`
      <h1>Overview <span class="muted">· ${this.tenant}</span></h1>
      ${error ? html`<p class="error" role="alert">${error.message}</p>` : ''}
      ${kev > 0 ? html`<p class="card kev" role="status" data-kev=${kev}><strong>${kev} open ${kev === 1 ? 'finding is' : 'findings are'} known exploited</strong>
        (CISA KEV): <a href=${link({ kev: 'true' })}>fix these first</a>.</p>` : ''}
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
        <section class="card" aria-labelledby="pkgs"><h2 id="pkgs">Riskiest packages, and the upgrade that clears most</h2>
          ${upgrades.length === 0 ? html`<p class="muted">No open finding has a fixed version.</p>` : html`<ol>${upgrades.map((u) => html`<li data-upgrade=${u.package}>
            <a href=${link({ package: u.package })}>${u.package}</a> <span class="muted">(${u.ecosystem})</span>: upgrade to <code>${u.upgradeTo}</code>,
            clears ${u.clears} ${u.clears === 1 ? 'finding' : 'findings'} on ${u.agents} ${u.agents === 1 ? 'agent' : 'agents'}</li>`)}</ol>`}
        </section>
      </div>`
  }
}
customElements.define('zt-overview', ZtOverview)
declare global { interface HTMLElementTagNameMap { 'zt-overview': ZtOverview } }
