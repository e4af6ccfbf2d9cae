// "Sign a new agent": the id `zt agent init` printed, a name and roles go to the hub, which
// signs with the tenant root; the armored certificate comes back to copy or save as the
// file `zt agent run --cert` takes. Says `zt-signed` so the list of certificates refreshes.
import { LitElement, css, html, nothing } from 'lit'
import type { Api } from '../api/client.ts'
import { SIGNABLE_ROLES, type SignedCertificate } from '../api/types.ts'
import { shared } from './shared-styles.ts'

/** Base58btc, as a PeerId is written (the hub checks that it is an Ed25519 key). */
export const PEER_ID_PATTERN = '[1-9A-HJ-NP-Za-km-z]{40,60}'

export class ZtSignAgent extends LitElement {
  static override properties = { api: { attribute: false }, tenant: { type: String }, _signed: { state: true }, _error: { state: true }, _busy: { state: true }, _copied: { state: true } }
  declare api: Api
  declare tenant: string
  declare _signed: SignedCertificate | undefined
  declare _error: string
  declare _busy: boolean
  declare _copied: boolean
  /** The certificate as a file to download (an object URL, released with the next one). */
  #href = ''

  constructor() {
    super()
    this._signed = undefined
    this._error = ''
    this._busy = false
    this._copied = false
  }

  static override styles = [shared, css`
    :host { display: block; }
    form { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; }
    .id { flex: 1 1 28em; } .id input { width: 100%; font-family: var(--mono); }
    fieldset { border: 1px solid var(--border); border-radius: 6px; display: flex; gap: 12px; padding: 4px 10px; margin: 0; }
    legend { font-size: .85rem; color: var(--fg-muted); }
    fieldset label { flex-direction: row; align-items: center; gap: 4px; color: var(--fg); font-size: 1rem; }
    fieldset input { min-height: auto; }
    input[type=number] { width: 6em; }
    textarea { width: 100%; min-height: 9em; font-family: var(--mono); font-size: .8rem; }
    .result { margin-top: 12px; } .cert { display: flex; width: 100%; } .result .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 6px; }
  `]

  async #sign(e: Event) {
    e.preventDefault()
    // Taken now: once dispatch is over, an event from inside a shadow root has no target.
    const form = e.target as HTMLFormElement
    const data = new FormData(form)
    const roles = SIGNABLE_ROLES.filter((r) => data.get(`role-${r}`) !== null)
    if (roles.length === 0) { this._error = 'Choose at least one role.'; return }
    this._busy = true
    this._error = ''
    this._copied = false
    try {
      const signed = await this.api.signAgent(this.tenant, { agent: String(data.get('agent') ?? '').trim(), name: String(data.get('name') ?? '').trim(), roles, days: Number(data.get('days')) })
      if (this.#href) URL.revokeObjectURL(this.#href)
      this.#href = URL.createObjectURL(new Blob([signed.armored], { type: 'text/plain' }))
      this._signed = signed
      form.reset()
      this.dispatchEvent(new CustomEvent('zt-signed', { detail: this._signed, bubbles: true, composed: true }))
      await this.updateComplete
      this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus()
    } catch (err) {
      this._error = (err as Error).message
    } finally {
      this._busy = false
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    if (this.#href) URL.revokeObjectURL(this.#href)
    this.#href = ''
  }

  async #copy() {
    try {
      await navigator.clipboard.writeText(this._signed!.armored)
      this._copied = true
    } catch {
      // No clipboard (insecure origin, denied): the text is selected for a manual copy.
      this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.select()
    }
  }

  override render() {
    const s = this._signed
    return html`
      <form @submit=${this.#sign} aria-describedby="sign-help">
        <label class="id"><span>Agent id (PeerId, from <code>zt agent init</code>)</span>
          <input name="agent" required pattern=${PEER_ID_PATTERN} autocomplete="off" spellcheck="false" placeholder="12D3KooW…"></label>
        <label>Name <input name="name" required maxlength="256" placeholder="build-01"></label>
        <fieldset><legend>Roles</legend>
          ${SIGNABLE_ROLES.map((r) => html`<label><input type="checkbox" name=${`role-${r}`} ?checked=${r === 'agent'}> ${r}</label>`)}
        </fieldset>
        <label>Valid for (days) <input type="number" name="days" required min="1" max="825" value="90"></label>
        <button type="submit" class="primary" ?disabled=${this._busy}>Sign the agent</button>
      </form>
      <p id="sign-help" class="muted">The tenant root key on the hub signs it. A relay keeps and passes on the envelopes of other agents of the tenant.</p>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${s ? html`<div class="result" data-signed=${s.certificate.serial}>
        <p role="status">Certificate serial ${s.certificate.serial} for ${s.certificate.name} (<span class="mono">${s.certificate.subject}</span>), valid until ${s.certificate.notAfter.slice(0, 10)}.</p>
        <label class="cert"><span>Certificate — save as <code>agent.cert</code> and run <code>zt agent run --cert agent.cert …</code></span>
          <textarea readonly .value=${s.armored} data-armored></textarea></label>
        <div class="actions">
          <button type="button" @click=${() => this.#copy()}>Copy</button>
          <a href=${this.#href} download="agent.cert">Download agent.cert</a>
          ${this._copied ? html`<span role="status">Copied.</span>` : nothing}
        </div></div>` : nothing}`
  }
}
customElements.define('zt-sign-agent', ZtSignAgent)
declare global { interface HTMLElementTagNameMap { 'zt-sign-agent': ZtSignAgent } }
