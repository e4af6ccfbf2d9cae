// The tenants this user may see; choosing one moves the app to it (the same page).
import { LitElement, css, html, nothing } from 'lit'
import type { TenantEntry } from '../api/types.ts'
import { shared } from './shared-styles.ts'

export class ZtTenantSwitcher extends LitElement {
  static override properties = { tenants: { attribute: false }, current: { type: String } }
  declare tenants: TenantEntry[]
  declare current: string

  constructor() {
    super()
    this.tenants = []
    this.current = ''
  }

  static override styles = [shared, css`label { flex-direction: row; align-items: center; gap: 6px; color: inherit; }`]

  override render() {
    if (this.tenants.length === 0) return nothing
    if (this.tenants.length === 1) return html`<span class="mono" title="tenant">${this.tenants[0]!.tenant}</span>`
    return html`<label>Tenant
      <select @change=${(e: Event) => this.dispatchEvent(new CustomEvent('zt-tenant-change', { detail: { tenant: (e.target as HTMLSelectElement).value }, bubbles: true, composed: true }))}>
        ${this.tenants.map((t) => html`<option value=${t.tenant} ?selected=${t.tenant === this.current}>${t.tenant} (${t.role})</option>`)}
      </select></label>`
  }
}
customElements.define('zt-tenant-switcher', ZtTenantSwitcher)
declare global { interface HTMLElementTagNameMap { 'zt-tenant-switcher': ZtTenantSwitcher } }
