// The confirmation before an agent is revoked (agents list and agent page): asks for the
// reason the revocation list records, revokes through the API, and says `zt-revoked` when
// done or `zt-cancel` when the admin thinks better of it.
import { LitElement, css, html, nothing } from 'lit'
import type { Api } from '../api/client.ts'
import { shared } from './shared-styles.ts'

export class ZtRevokeDialog extends LitElement {
  static override properties = { api: { attribute: false }, tenant: { type: String }, agent: { attribute: false }, _error: { state: true }, _busy: { state: true } }
  declare api: Api
  declare tenant: string
  declare agent: { id: string, name?: string }
  declare _error: string
  declare _busy: boolean

  constructor() {
    super()
    this._error = ''
    this._busy = false
  }

  static override styles = [shared, css`
    dialog { border: 1px solid var(--border); border-radius: 8px; background: var(--bg-raised); color: var(--fg); max-width: min(480px, 92vw); }
    dialog::backdrop { background: rgb(0 0 0 / .4); }
    form { display: flex; flex-direction: column; gap: 10px; } input { width: 100%; }
    .row-actions { display: flex; gap: 8px; justify-content: flex-end; }
  `]

  override firstUpdated() {
    const dialog = this.renderRoot.querySelector('dialog')!
    if (!dialog.open) dialog.showModal?.() ?? dialog.setAttribute('open', '')
  }

  #cancel() { this.dispatchEvent(new CustomEvent('zt-cancel', { bubbles: true, composed: true })) }

  async #revoke(e: Event) {
    e.preventDefault()
    const reason = String(new FormData(e.target as HTMLFormElement).get('reason') ?? '').trim()
    this._busy = true
    this._error = ''
    try {
      await this.api.revoke(this.tenant, this.agent.id, reason)
      this.dispatchEvent(new CustomEvent('zt-revoked', { detail: { id: this.agent.id }, bubbles: true, composed: true }))
    } catch (err) {
      this._error = (err as Error).message
    } finally {
      this._busy = false
    }
  }

  override render() {
    return html`
      <dialog aria-labelledby="revoke-h" @close=${() => this.#cancel()}>
        <form @submit=${this.#revoke}>
          <h2 id="revoke-h">Revoke ${this.agent.name ?? this.agent.id}?</h2>
          <p>Its certificate goes on the tenant's revocation list: the hub and every peer refuse it from now on. This cannot be undone; the agent needs a new certificate to come back.</p>
          <label>Reason (recorded in the revocation list) <input name="reason" required maxlength="1024" autofocus></label>
          ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
          <div class="row-actions">
            <button type="button" @click=${() => this.#cancel()}>Cancel</button>
            <button type="submit" class="danger" ?disabled=${this._busy}>Revoke the agent</button>
          </div>
        </form>
      </dialog>`
  }
}
customElements.define('zt-revoke-dialog', ZtRevokeDialog)
declare global { interface HTMLElementTagNameMap { 'zt-revoke-dialog': ZtRevokeDialog } }
