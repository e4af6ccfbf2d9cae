// The agents of a tenant: online / offline / stale / revoked, last seen and scanned,
// certificate expiry; status updates live from the `<tenant>/agents` doc; each links to its
// page; revocation (admins) after a confirmation that asks for the reason.
import { LitElement, css, html, nothing } from 'lit'
import type { Api } from '../api/client.ts'
import type { HubAgent, Role } from '../api/types.ts'
import { FetchController, debounce } from '../controllers/fetch-controller.ts'
import { LiveController } from '../controllers/live-controller.ts'
import type { AgentLive, LiveChange, LiveSync } from '../live/live-sync.ts'
import { agentPath, pathFor } from '../router.ts'
import { shared } from './shared-styles.ts'
import './zt-revoke-dialog.ts'

export const STALE_MS = 24 * 3_600_000

export function agentState(a: HubAgent, now: number): 'revoked' | 'online' | 'stale' | 'offline' {
  if (a.revoked) return 'revoked'
  if (a.online) return 'online'
  return !a.lastSeen || now - Date.parse(a.lastSeen) > STALE_MS ? 'stale' : 'offline'
}

/** The API's row with what the live doc says since. */
export function merged(a: HubAgent, live: AgentLive | undefined): HubAgent {
  if (!live) return a
  const iso = (ms: number | undefined, held: string | undefined) => (ms ? new Date(ms).toISOString() : held)
  return { ...a, name: live.name ?? a.name, online: live.online ?? a.online, revoked: a.revoked || !!live.revoked, lastSeen: iso(live.lastSeen, a.lastSeen), lastScan: iso(live.lastScan, a.lastScan), version: live.version ?? a.version, certificateExpiry: iso(live.certExpiry, a.certificateExpiry) }
}

export const day = (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—')

export class ZtAgentsPage extends LitElement {
  static override properties = { api: { attribute: false }, tenant: { type: String }, live: { attribute: false }, role: { type: String }, _confirm: { state: true } }
  declare api: Api
  declare tenant: string
  declare live: LiveSync | undefined
  declare role: Role
  declare _confirm: HubAgent | undefined
  readonly agents = new FetchController<HubAgent[]>(this, (signal) => this.api.agents(this.tenant, signal))
  readonly #refresh = debounce(() => { void this.agents.run() }, 300)
  readonly #live = new LiveController(this, () => this.live, (c: LiveChange) => {
    if (c.doc === 'agents') this.requestUpdate()
    if (c.doc === 'agents' || c.doc === 'poll') this.#refresh()
  }, () => this.#refresh.cancel())

  constructor() {
    super()
    this.role = 'viewer'
    this._confirm = undefined
  }

  static override styles = [shared, css`
    :host { display: block; padding: 16px; }
    table { width: 100%; border-collapse: collapse; }
    th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
    th { font-size: .8rem; color: var(--fg-muted); font-weight: 600; }
    @media (max-width: 720px) { .wide { display: none; } }
  `]

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('live')) this.#live.follow()
    if (changed.has('tenant') || changed.has('api')) void this.agents.run({ keep: false })
  }

  override render() {
    const list = this.agents.value
    if (!list) return this.agents.error ? html`<p class="error" role="alert">${this.agents.error.message}</p>` : html`<p class="muted">Loading…</p>`
    const now = Date.now()
    const admin = this.role === 'admin' || this.role === 'operator'
    const rows = list.map((a) => merged(a, this.live?.agents.get(a.id)))
    return html`
      <h1>Agents <span class="muted">· ${rows.length}</span></h1>
      ${this.agents.error ? html`<p class="error" role="alert">${this.agents.error.message}</p>` : nothing}
      ${rows.length === 0 ? html`<p class="muted">No agent has synced to this tenant yet.</p>` : html`
      <table>
        <thead><tr><th scope="col">Agent</th><th scope="col">Status</th><th scope="col">Last seen</th><th scope="col" class="wide">Last scan</th><th scope="col" class="wide">Version</th><th scope="col" class="wide">Certificate expires</th>${admin ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : nothing}</tr></thead>
        <tbody>${rows.map((a) => {
          const state = agentState(a, now)
          return html`<tr data-agent=${a.id}>
            <td><a href=${agentPath(this.tenant, a.id)}>${a.name ?? 'unnamed'}</a> · <a href=${pathFor(this.tenant, 'findings', { agent: a.id })} aria-label=${`Findings of ${a.name ?? a.id}`}>findings</a><br><span class="mono muted">${a.id}</span></td>
            <td><span class="state state-${state}" data-state=${state}>${state}</span></td>
            <td>${day(a.lastSeen)}</td><td class="wide">${day(a.lastScan)}</td><td class="wide" data-version>${a.version ?? '—'}</td><td class="wide">${day(a.certificateExpiry)}</td>
            ${admin ? html`<td>${a.revoked ? nothing : html`<button type="button" class="danger" @click=${() => { this._confirm = a }}>Revoke…</button>`}</td>` : nothing}
          </tr>`
        })}</tbody>
      </table>`}
      ${this._confirm ? html`<zt-revoke-dialog .api=${this.api} tenant=${this.tenant} .agent=${this._confirm}
        @zt-cancel=${() => { this._confirm = undefined }} @zt-revoked=${() => { this._confirm = undefined; void this.agents.run() }}></zt-revoke-dialog>` : nothing}`
  }
}
customElements.define('zt-agents-page', ZtAgentsPage)
declare global { interface HTMLElementTagNameMap { 'zt-agents-page': ZtAgentsPage } }
