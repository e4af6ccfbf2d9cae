// The signed-in user's API tokens (the operator sees every user's): name, owner, made, last
// used; a new one is shown once, right after it is made; revoking asks to be pressed twice.
import { LitElement, css, html, nothing } from 'lit'
import type { Api } from '../api/client.ts'
import type { TokenView } from '../api/types.ts'
import { FetchController } from '../controllers/fetch-controller.ts'
import { shared } from './shared-styles.ts'

const day = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : 'never')

export class ZtApiTokens extends LitElement {
  static override properties = { api: { attribute: false }, _made: { state: true }, _error: { state: true }, _busy: { state: true }, _arming: { state: true } }
  declare api: Api
  declare _made: (TokenView & { token: string }) | undefined
  declare _error: string
  declare _busy: boolean
  /** The token whose Revoke was pressed once. */
  declare _arming: string
  readonly tokens = new FetchController<TokenView[]>(this, (signal) => this.api.tokens(signal))

  constructor() {
    super()
    this._made = undefined
    this._error = ''
    this._busy = false
    this._arming = ''
  }

  static override styles = [shared, css`
    :host { display: block; }
    table { width: 100%; border-collapse: collapse; font-size: .9rem; margin-bottom: 10px; }
    th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--border); overflow-wrap: anywhere; }
    th { font-size: .8rem; color: var(--fg-muted); font-weight: 600; }
    form { display: flex; gap: 8px; align-items: flex-end; flex-wrap: wrap; }
    .made { border: 1px solid var(--accent); border-radius: 6px; padding: 8px 10px; margin-top: 10px; }
    .made input { width: 100%; font-family: var(--mono); }
  `]

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('api')) void this.tokens.run({ keep: false })
  }

  async #do(fn: () => Promise<void>) {
    this._busy = true
    this._error = ''
    try {
      await fn()
      await this.tokens.run()
    } catch (err) {
      this._error = (err as Error).message
    } finally {
      this._busy = false
    }
  }

  #create(e: Event) {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    const name = String(new FormData(form).get('name') ?? '').trim()
    void this.#do(async () => { this._made = await this.api.createToken(name); form.reset() })
  }

  #revoke(id: string) {
    if (this._arming !== id) { this._arming = id; return }
    this._arming = ''
    void this.#do(async () => { await this.api.revokeToken(id); if (this._made?.id === id) this._made = undefined })
  }

  override render() {
    const list = this.tokens.value
    return html`
      ${this.tokens.error ? html`<p class="error" role="alert">${this.tokens.error.message}</p>` : nothing}
      ${!list ? (this.tokens.error ? nothing : html`<p class="muted">Loading…</p>`) : list.length === 0 ? html`<p class="muted">No API tokens.</p>` : html`
      <table data-tokens>
        <thead><tr><th scope="col">Name</th><th scope="col">Owner</th><th scope="col">Made</th><th scope="col">Last used</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>${list.map((t) => html`<tr data-token=${t.id}><td>${t.name}</td><td>${t.owner}</td><td>${day(t.created)}</td><td>${day(t.lastUsed)}</td>
          <td><button type="button" class="danger" ?disabled=${this._busy} aria-label=${this._arming === t.id ? `Really revoke the token ${t.name}` : `Revoke the token ${t.name}`} @click=${() => this.#revoke(t.id)}>${this._arming === t.id ? 'Really revoke' : 'Revoke'}</button></td></tr>`)}</tbody>
      </table>`}
      <form @submit=${this.#create}>
        <label>New token name <input name="name" required maxlength="100" placeholder="ci-pipeline"></label>
        <button type="submit" ?disabled=${this._busy}>Make a token</button>
      </form>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${this._made ? html`<div class="made" role="status" data-made=${this._made.id}>
        <p>The token ${this._made.name}: copy it now, it is not shown again.</p>
        <label>Token <input readonly .value=${this._made.token} @focus=${(e: Event) => (e.target as HTMLInputElement).select()}></label>
      </div>` : nothing}`
  }
}
customElements.define('zt-api-tokens', ZtApiTokens)
declare global { interface HTMLElementTagNameMap { 'zt-api-tokens': ZtApiTokens } }
