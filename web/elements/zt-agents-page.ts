// The agents of a tenant: online / offline / stale / revoked, last seen and scanned,
// certificate expiry; status updates live from the `<tenant>/agents` doc; revocation (admins)
// after a confirmation that asks for the reason.
import { LitElement, css, html, nothing } from 'lit'
import type { Api } from '../api/client.ts'
import type { HubAgent, Role } from '../api/types.ts'
import { FetchController, debounce } from '../controllers/fetch-controller.ts'
import type { AgentLive, LiveChange, LiveSync } from '../live/live-sync.ts'
import { pathFor } from '../router.ts'
import { shared } from './shared-styles.ts'

export const STALE_MS = 24 * 3_600_000

export function agentState(a: HubAgent, now: number): 'revoked' | 'online' | 'stale' | 'offline' {
  if (a.revoked) return 'revoked'
  if (a.online) return 'online'
  return !a.lastSeen || now - Date.parse(a.lastSeen) > STALE_MS ? 'stale' : 'offline'
}

/** The API's row with what the live doc says since. */
function merged(a: HubAgent, live: AgentLive | undefined): HubAgent {
  if (!live) return a
  const iso = (ms: number | undefined, held: string | undefined) => (ms ? new Date(ms).toISOString() : held)
  return { ...a, name: live.name ?? a.name, online: live.online ?? a.online, revoked: a.revoked || !!live.revoked, lastSeen: iso(live.lastSeen, a.lastSeen), lastScan: iso(live.lastScan, a.lastScan), certificateExpiry: iso(live.certExpiry, a.certificateExpiry) }
}

const day = (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—')

export class ZtAgentsPage extends LitElement {
  static override properties = { api: { attribute: false }, tenant: { type: String }, live: { attribute: false }, role: { type: String }, _confirm: { state: true }, _error: { state: true }, _busy: { state: true } }
  declare api: Api
  declare tenant: string
  declare live: LiveSync | undefined
  declare role: Role
  declare _confirm: HubAgent | undefined
  declare _error: string
  declare _busy: boolean
  readonly agents = new FetchController<HubAgent[]>(this, (signal) => this.api.agents(this.tenant, signal))
  #unlisten: (() => void) | undefined
  readonly #refresh = debounce(() => { void this.agents.run() }, 300)

  constructor() {
    super()
    this.role = 'viewer'
    this._confirm = undefined
    this._error = ''
    this._busy = false
  }

  static override styles = [shared, css`
    :host { display: block; padding: 16px; }
    table { width: 100%; border-collapse: collapse; }
    th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
    th { font-size: .8rem; color: var(--fg-muted); font-weight: 600; }
    .state { font-weight: 600; } .state-online { color: #1e8e3e; } .state-revoked { color: var(--danger); } .state-stale { color: var(--sev-high); }
    dialog { border: 1px solid var(--border); border-radius: 8px; background: var(--bg-raised); color: var(--fg); max-width: min(480px, 92vw); }
    dialog form { display: flex; flex-direction: column; gap: 10px; } dialog input { width: 100%; }
    .row-actions { display: flex; gap: 8px; justify-content: flex-end; }
    @media (max-width: 720px) { .wide { display: none; } }
  `]

  override connectedCallback() {
    super.connectedCallback()
    this.#listen()
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    this.#unlisten?.()
    this.#refresh.cancel()
  }

  #listen() {
    this.#unlisten?.()
    this.#unlisten = this.live?.on((c: LiveChange) => {
      if (c.doc === 'agents') this.requestUpdate()
      if (c.doc === 'agents' || c.doc === 'poll') this.#refresh()
    })
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('live') && this.isConnected) this.#listen()
    if (changed.has('tenant') || changed.has('api')) void this.agents.run({ keep: false })
  }

  override updated() {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog')
    if (dialog && !dialog.open) dialog.showModal?.() ?? dialog.setAttribute('open', '')
  }

  async #revoke(e: Event) {
    e.preventDefault()
    const agent = this._confirm!
    const reason = String(new FormData(e.target as HTMLFormElement).get('reason') ?? '').trim()
    this._busy = true
    this._error = ''
    try {
      await this.api.revoke(this.tenant, agent.id, reason)
      this._confirm = undefined
      await this.agents.run()
    } catch (err) {
      this._error = (err as Error).message
    } finally {
      this._busy = false
    }
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
        <thead><tr><th scope="col">Agent</th><th scope="col">Status</th><th scope="col">Last seen</th><th scope="col" class="wide">Last scan</th><th scope="col" class="wide">Certificate expires</th>${admin ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : nothing}</tr></thead>
        <tbody>${rows.map((a) => {
          const state = agentState(a, now)
          return html`<tr data-agent=${a.id}>
            <td><a href=${pathFor(this.tenant, 'findings', { agent: a.id })}>${a.name ?? 'unnamed'}</a><br><span class="mono muted">${a.id}</span></td>
            <td><span class="state state-${state}" data-state=${state}>${state}</span></td>
            <td>${day(a.lastSeen)}</td><td class="wide">${day(a.lastScan)}</td><td class="wide">${day(a.certificateExpiry)}</td>
            ${admin ? html`<td>${a.revoked ? nothing : html`<button type="button" class="danger" @click=${() => { this._error = ''; this._confirm = a }}>Revoke…</button>`}</td>` : nothing}
          </tr>`
        })}</tbody>
      </table>`}
      ${this._confirm ? html`
        <dialog aria-labelledby="revoke-h" @close=${() => { this._confirm = undefined }}>
          <form @submit=${this.#revoke}>
            <h2 id="revoke-h">Revoke ${this._confirm.name ?? this._confirm.id}?</h2>
            <p>Its certificate goes on the tenant's revocation list: the hub and every peer refuse it from now on. This cannot be undone; the agent needs a new certificate to come back.</p>
            <label>Reason (recorded in the revocation list) <input name="reason" required maxlength="1024" autofocus></label>
            ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
            <div class="row-actions">
              <button type="button" @click=${() => { this._confirm = undefined }}>Cancel</button>
              <button type="submit" class="danger" ?disabled=${this._busy}>Revoke the agent</button>
            </div>
          </form>
        </dialog>` : nothing}`
  }
}
customElements.define('zt-agents-page', ZtAgentsPage)
declare global { interface HTMLElementTagNameMap { 'zt-agents-page': ZtAgentsPage } }
