// Keys and users of a tenant, for its admins: the certificates the tenant root issued and the
// revocation list version, signing a new agent, the users with a role here, and API tokens.
import { LitElement, css, html, nothing } from 'lit'
import type { Api } from '../api/client.ts'
import type { CertificateList, Member } from '../api/types.ts'
import { FetchController } from '../controllers/fetch-controller.ts'
import { agentPath } from '../router.ts'
import { shared } from './shared-styles.ts'
import './zt-sign-agent.ts'
import './zt-api-tokens.ts'

const day = (iso: string) => iso.slice(0, 10)

export class ZtKeysPage extends LitElement {
  static override properties = { api: { attribute: false }, tenant: { type: String } }
  declare api: Api
  declare tenant: string
  readonly certs = new FetchController<CertificateList>(this, (signal) => this.api.certificates(this.tenant, signal))
  readonly members = new FetchController<Member[]>(this, (signal) => this.api.members(this.tenant, signal))

  static override styles = [shared, css`
    :host { display: block; padding: 16px; }
    section { margin-bottom: 24px; }
    table { width: 100%; border-collapse: collapse; font-size: .9rem; }
    th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: anywhere; }
    th { font-size: .8rem; color: var(--fg-muted); font-weight: 600; }
    .revoked { color: var(--danger); font-weight: 600; }
    .scroll { overflow-x: auto; }
    @media (max-width: 720px) { .wide { display: none; } }
  `]

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('tenant') || changed.has('api')) { void this.certs.run({ keep: false }); void this.members.run({ keep: false }) }
  }

  #certificates() {
    const c = this.certs.value
    if (!c) return this.certs.error ? html`<p class="error" role="alert">${this.certs.error.message}</p>` : html`<p class="muted">Loading…</p>`
    return html`
      <p data-crl-version=${c.revocationList.version}>Revocation list version ${c.revocationList.version} · ${c.revocationList.entries} ${c.revocationList.entries === 1 ? 'entry' : 'entries'}</p>
      ${c.certificates.length === 0 ? html`<p class="muted">The tenant root has issued no certificates from this hub's home.</p>` : html`
      <div class="scroll"><table data-certificates>
        <thead><tr><th scope="col">Serial</th><th scope="col">Name</th><th scope="col">Subject</th><th scope="col">Roles</th><th scope="col" class="wide">Not before</th><th scope="col">Not after</th><th scope="col">Revoked</th></tr></thead>
        <tbody>${c.certificates.map((x) => html`<tr data-serial=${x.serial}>
          <td>${x.serial}</td><td>${x.name}</td><td>${x.roles.includes('hub') ? html`<span class="mono">${x.subject}</span>` : html`<a class="mono" href=${agentPath(this.tenant, x.subject)}>${x.subject}</a>`}</td><td>${x.roles.join(', ')}</td>
          <td class="wide">${day(x.notBefore)}</td><td>${day(x.notAfter)}</td>
          <td>${x.revoked ? html`<span class="revoked">revoked</span>${x.revokedAt ? ` ${day(x.revokedAt)}` : ''}${x.reason ? html`<br><span class="muted">${x.reason}</span>` : nothing}` : 'no'}</td>
        </tr>`)}</tbody>
      </table></div>`}`
  }

  #members() {
    const m = this.members.value
    if (!m) return this.members.error ? html`<p class="error" role="alert">${this.members.error.message}</p>` : html`<p class="muted">Loading…</p>`
    return m.length === 0 ? html`<p class="muted">No user has a role on this tenant (sign-in is by token).</p>` : html`
      <table data-members><thead><tr><th scope="col">User</th><th scope="col">Role</th></tr></thead>
        <tbody>${m.map((u) => html`<tr><td>${u.name}</td><td>${u.role}</td></tr>`)}</tbody></table>`
  }

  override render() {
    return html`
      <h1>Keys and users</h1>
      <section aria-labelledby="sign-h"><h2 id="sign-h">Sign a new agent</h2>
        <zt-sign-agent .api=${this.api} tenant=${this.tenant} @zt-signed=${() => this.certs.run()}></zt-sign-agent></section>
      <section aria-labelledby="certs-h"><h2 id="certs-h">Issued certificates</h2>${this.#certificates()}</section>
      <section aria-labelledby="users-h"><h2 id="users-h">Users</h2>${this.#members()}</section>
      <section aria-labelledby="tokens-h"><h2 id="tokens-h">API tokens</h2><zt-api-tokens .api=${this.api}></zt-api-tokens></section>`
  }
}
customElements.define('zt-keys-page', ZtKeysPage)
declare global { interface HTMLElementTagNameMap { 'zt-keys-page': ZtKeysPage } }
