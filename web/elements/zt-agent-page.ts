// One agent: its status (live from the `<tenant>/agents` doc), last seen and scanned, version,
// certificate expiry, revocation; its open findings in the findings table; its inventory in
// pages from the API; and revocation (admins) after a confirmation.
import { LitElement, css, html, nothing } from 'lit'
import type { Api } from '../api/client.ts'
import type { AgentDetail, FindingRow, InventoryPackage, Role } from '../api/types.ts'
import { FetchController, debounce } from '../controllers/fetch-controller.ts'
import { LiveController } from '../controllers/live-controller.ts'
import type { LiveChange, LiveSync } from '../live/live-sync.ts'
import { navigate, pathFor } from '../router.ts'
import { agentState, day, merged } from './zt-agents-page.ts'
import { shared } from './shared-styles.ts'
import './zt-findings-table.ts'
import './zt-revoke-dialog.ts'

export const FINDINGS_PAGE = 100
export const INVENTORY_PAGE = 100

export class ZtAgentPage extends LitElement {
  static override properties = {
    api: { attribute: false }, tenant: { type: String }, agent: { type: String }, live: { attribute: false }, role: { type: String },
    _confirm: { state: true }, _packages: { state: true }, _invNext: { state: true }, _invError: { state: true }, _invLoading: { state: true },
  }
  declare api: Api
  declare tenant: string
  declare agent: string
  declare live: LiveSync | undefined
  declare role: Role
  declare _confirm: boolean
  declare _packages: InventoryPackage[]
  declare _invNext: string | null
  declare _invError: string
  declare _invLoading: boolean
  readonly detail = new FetchController<AgentDetail>(this, (signal) => this.api.agent(this.tenant, this.agent, signal))
  readonly findings = new FetchController<{ rows: FindingRow[], more: boolean }>(this, async (signal) => {
    const page = await this.api.findings(this.tenant, { agent: this.agent }, { limit: FINDINGS_PAGE }, signal)
    return { rows: page.findings, more: page.next !== null }
  })
  readonly #refresh = debounce(() => { void this.detail.run(); void this.findings.run() }, 300)
  readonly #live = new LiveController(this, () => this.live, (c: LiveChange) => {
    if (c.doc === 'agents') this.requestUpdate()
    if ((c.doc === 'findings' && (c.agent === undefined || c.agent === this.agent)) || c.doc === 'poll') this.#refresh()
  }, () => this.#refresh.cancel())

  constructor() {
    super()
    this.role = 'viewer'
    this._confirm = false
    this._packages = []
    this._invNext = null
    this._invError = ''
    this._invLoading = false
  }

  static override styles = [shared, css`
    :host { display: block; padding: 16px; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 8px 0 14px; }
    dt { color: var(--fg-muted); } dd { margin: 0; overflow-wrap: anywhere; }
    section { margin-top: 18px; }
    .head { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; justify-content: space-between; }
    zt-findings-table { height: 320px; border: 1px solid var(--border); border-radius: 8px; }
    table { width: 100%; border-collapse: collapse; font-size: .9rem; }
    th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: anywhere; }
    th { font-size: .8rem; color: var(--fg-muted); font-weight: 600; }
    @media (max-width: 720px) { .wide { display: none; } }
  `]

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('live')) this.#live.follow()
    if (changed.has('tenant') || changed.has('agent') || changed.has('api')) {
      void this.detail.run({ keep: false })
      void this.findings.run({ keep: false })
      this._packages = []
      this._invNext = null
      void this.#loadInventory()
    }
  }

  async #loadInventory(cursor?: string) {
    this._invLoading = true
    this._invError = ''
    try {
      const page = await this.api.inventory(this.tenant, this.agent, { limit: INVENTORY_PAGE, cursor })
      this._packages = cursor ? [...this._packages, ...page.packages] : page.packages
      this._invNext = page.next
    } catch (err) {
      this._invError = (err as Error).message
    } finally {
      this._invLoading = false
    }
  }

  #inventory(d: AgentDetail) {
    const eco = Object.entries(d.inventory.ecosystems).sort((a, b) => b[1] - a[1])
    return html`<section aria-labelledby="inv-h">
      <div class="head"><h2 id="inv-h">Inventory <span class="muted">· ${d.inventory.packages} packages</span></h2>
        ${eco.length ? html`<span class="muted" data-ecosystems>${eco.map(([e, n]) => `${e} ${n}`).join(' · ')}</span>` : nothing}</div>
      ${this._invError ? html`<p class="error" role="alert">${this._invError}</p>` : nothing}
      ${this._packages.length === 0 && !this._invLoading ? html`<p class="muted">This agent has sent no inventory.</p>` : html`
      <table data-inventory>
        <thead><tr><th scope="col">Package</th><th scope="col">Version</th><th scope="col">Ecosystem</th><th scope="col" class="wide">From</th></tr></thead>
        <tbody>${this._packages.map((p) => html`<tr><td class="mono">${p.name}</td><td class="mono">${p.version}</td><td>${p.ecosystem}</td><td class="mono wide">${p.source}</td></tr>`)}</tbody>
      </table>`}
      <p class="muted" aria-live="polite">${this._packages.length} of ${d.inventory.packages} shown${this._invLoading ? ' · loading…' : ''}
        ${this._invNext ? html`<button type="button" @click=${() => this.#loadInventory(this._invNext!)} ?disabled=${this._invLoading}>Show ${INVENTORY_PAGE} more</button>` : nothing}</p>
    </section>`
  }

  override render() {
    const d = this.detail.value
    if (!d) return this.detail.error ? html`<p class="error" role="alert">${this.detail.error.message}</p><p><a href=${pathFor(this.tenant, 'agents')}>All agents</a></p>` : html`<p class="muted">Loading…</p>`
    const live = this.live?.agents.get(d.agent.id)
    const a = merged(d.agent, live)
    const state = agentState(a, Date.now())
    const admin = this.role === 'admin' || this.role === 'operator'
    const f = this.findings.value
    return html`
      <p><a href=${pathFor(this.tenant, 'agents')}>← All agents</a></p>
      <div class="head"><h1>${a.name ?? 'unnamed agent'}</h1>
        ${admin && !a.revoked ? html`<button type="button" class="danger" @click=${() => { this._confirm = true }}>Revoke…</button>` : nothing}</div>
      <dl>
        <dt>Agent id</dt><dd class="mono">${a.id}</dd>
        <dt>Status</dt><dd><span class="state state-${state}" data-state=${state}>${state}</span></dd>
        <dt>Last seen</dt><dd>${day(a.lastSeen)}</dd>
        <dt>Last scan</dt><dd>${day(a.lastScan)}</dd>
        <dt>Version</dt><dd data-version>${a.version ?? '—'}</dd>
        <dt>Certificate expires</dt><dd>${day(a.certificateExpiry)}</dd>
        ${a.roles?.length ? html`<dt>Roles</dt><dd>${a.roles.join(', ')}</dd>` : nothing}
        <dt>Revoked</dt><dd data-revoked=${a.revoked ? 'yes' : 'no'}>${a.revoked ? 'yes — the hub and its peers refuse it' : 'no'}</dd>
      </dl>
      <section aria-labelledby="findings-h">
        <div class="head"><h2 id="findings-h">Open findings <span class="muted">· ${f ? `${f.rows.length}${f.more ? '+' : ''}` : '…'}</span></h2>
          <a href=${pathFor(this.tenant, 'findings', { agent: a.id })}>Filter and triage them on the findings page</a></div>
        ${this.findings.error ? html`<p class="error" role="alert">${this.findings.error.message}</p>` : nothing}
        <zt-findings-table aria-label="Open findings of this agent" .rows=${f?.rows ?? []} .more=${false} .loading=${this.findings.loading}
          @zt-select=${(e: CustomEvent<{ id: string }>) => navigate(pathFor(this.tenant, 'findings', { agent: a.id }, e.detail.id))}></zt-findings-table>
      </section>
      ${this.#inventory(d)}
      ${this._confirm ? html`<zt-revoke-dialog .api=${this.api} tenant=${this.tenant} .agent=${a}
        @zt-cancel=${() => { this._confirm = false }} @zt-revoked=${() => { this._confirm = false; void this.detail.run() }}></zt-revoke-dialog>` : nothing}`
  }
}
customElements.define('zt-agent-page', ZtAgentPage)
declare global { interface HTMLElementTagNameMap { 'zt-agent-page': ZtAgentPage } }
