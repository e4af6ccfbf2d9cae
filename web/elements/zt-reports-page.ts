// Reports of the tenant's findings with the findings page's filters: SARIF, CSV, JSON,
// printable HTML, CycloneDX (triage as VEX). Fetched with the credentials, saved as a file.
import { LitElement, css, html, nothing } from 'lit'
import type { Api } from '../api/client.ts'
import { REPORT_FORMATS, type Filters, type ReportFormat } from '../api/types.ts'
import { pathFor } from '../router.ts'
import { shared } from './shared-styles.ts'

const LABELS: Record<ReportFormat, string> = { sarif: 'SARIF 2.1.0 (code scanning)', csv: 'CSV (spreadsheets)', json: 'JSON', html: 'HTML (printable)', cyclonedx: 'CycloneDX 1.6 with VEX' }

export class ZtReportsPage extends LitElement {
  static override properties = { api: { attribute: false }, tenant: { type: String }, filters: { attribute: false }, _busy: { state: true }, _error: { state: true } }
  declare api: Api
  declare tenant: string
  declare filters: Filters
  declare _busy: string
  declare _error: string

  constructor() {
    super()
    this.filters = {}
    this._busy = ''
    this._error = ''
  }

  static override styles = [shared, css`
    :host { display: block; padding: 16px; max-width: 720px; }
    ul { list-style: none; padding: 0; display: flex; flex-direction: column; gap: 8px; }
  `]

  async #download(format: ReportFormat) {
    this._busy = format
    this._error = ''
    try {
      const { blob, filename } = await this.api.report(this.tenant, format, this.filters)
      const url = URL.createObjectURL(blob)
      const a = document.createElement('a')
      a.href = url
      a.download = filename
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
    } catch (err) {
      this._error = (err as Error).message
    } finally {
      this._busy = ''
    }
  }

  override render() {
    const set = Object.entries(this.filters).filter(([k, v]) => v && k !== 'sort')
    return html`
      <h1>Reports</h1>
      <p>${set.length === 0 ? 'All open findings of this tenant.' : html`Findings matching <span class="mono">${set.map(([k, v]) => `${k}=${v}`).join(' ')}</span>.`}
        <a href=${pathFor(this.tenant, 'findings', this.filters)}>Change the filters on the findings page</a>.</p>
      <ul>${REPORT_FORMATS.map((f) => html`<li><button type="button" data-format=${f} ?disabled=${!!this._busy} @click=${() => this.#download(f)}>Download ${LABELS[f]}</button>${this._busy === f ? html` <span class="muted">preparing…</span>` : nothing}</li>`)}</ul>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}`
  }
}
customElements.define('zt-reports-page', ZtReportsPage)
declare global { interface HTMLElementTagNameMap { 'zt-reports-page': ZtReportsPage } }
