// Sign in: a user name and password on a hub with user logins, else (or on request) an API
// or operator token. The element only asks; zt-app signs in and tells it what went wrong.
import { LitElement, css, html } from 'lit'
import { shared } from './shared-styles.ts'

export type LoginRequest = { name: string, password: string } | { token: string }

export class ZtLogin extends LitElement {
  static override properties = { users: { type: Boolean }, error: { type: String }, busy: { type: Boolean }, _useToken: { state: true } }
  /** Whether the hub has user logins. */
  declare users: boolean
  declare error: string
  declare busy: boolean
  declare _useToken: boolean

  constructor() {
    super()
    this.users = true
    this.error = ''
    this.busy = false
    this._useToken = false
  }

  static override styles = [shared, css`
    :host { display: grid; place-items: center; min-height: 80vh; padding: 16px; }
    form { display: flex; flex-direction: column; gap: 12px; width: min(360px, 100%); }
    label { color: var(--fg); font-size: .9rem; } input { width: 100%; }
    .switch { background: none; border: none; color: var(--link); padding: 0; min-height: 0; text-decoration: underline; align-self: flex-start; }
  `]

  #submit(e: Event) {
    e.preventDefault()
    const data = new FormData(e.target as HTMLFormElement)
    const detail: LoginRequest = this.#tokenMode ? { token: String(data.get('token') ?? '').trim() } : { name: String(data.get('name') ?? '').trim(), password: String(data.get('password') ?? '') }
    this.dispatchEvent(new CustomEvent<LoginRequest>('zt-login', { detail, bubbles: true, composed: true }))
  }

  get #tokenMode() { return !this.users || this._useToken }

  override render() {
    return html`
      <form class="card" @submit=${this.#submit} aria-labelledby="title">
        <h1 id="title">Sign in to ZeroTrace</h1>
        ${this.#tokenMode
          ? html`
            ${this.users ? '' : html`<p class="muted">This hub has no user logins: paste the operator token (<code>$ZT_HOME/operator.token</code>) or an API token.</p>`}
            <label>Token <input name="token" type="password" autocomplete="off" required autofocus></label>`
          : html`
            <label>User name <input name="name" autocomplete="username" required autofocus></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>`}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
        <button class="primary" type="submit" ?disabled=${this.busy}>Sign in</button>
        ${this.users ? html`<button type="button" class="switch" @click=${() => { this._useToken = !this._useToken }}>${this._useToken ? 'Sign in with a password' : 'Use a token instead'}</button>` : ''}
      </form>`
  }
}
customElements.define('zt-login', ZtLogin)
declare global { interface HTMLElementTagNameMap { 'zt-login': ZtLogin } }
