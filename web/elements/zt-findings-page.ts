// Findings of a tenant: filters (kept in the URL, so a view is a link), the virtualized
// table fed page by page from the server's cursor, and the detail panel with triage. Live
// changes refetch what is loaded (debounced) and the open finding.
import { LitElement, css, html, nothing } from 'lit'
import type { Api } from '../api/client.ts'
import { KINDS, SEVERITIES, TRIAGE_STATUSES, type Counts, type FindingDetail, type FindingRow, type Filters, type Role, type TriageRequest } from '../api/types.ts'
import { FetchController, debounce, throttle } from '../controllers/fetch-controller.ts'
import type { LiveChange, LiveSync } from '../live/live-sync.ts'
import { navigate, pathFor } from '../router.ts'
import { shared } from './shared-styles.ts'
import './zt-findings-table.ts'
import './zt-finding-detail.ts'
import type { ZtFindingsTable } from './zt-findings-table.ts'

export const FIRST_PAGE = 100
export const NEXT_PAGE = 300
/** Up to this many loaded rows are refetched on a live change; beyond, the user is offered a refresh. */
export const LIVE_REFETCH_MAX = 500

export class ZtFindingsPage extends LitElement {
  static override properties = {
    api: { attribute: false }, tenant: { type: String }, live: { attribute: false }, filters: { attribute: false }, finding: { type: String }, role: { type: String },
    _rows: { state: true }, _next: { state: true }, _counts: { state: true }, _loading: { state: true }, _error: { state: true }, _stale: { state: true }, _busy: { state: true }, _actionError: { state: true },
  }
  declare api: Api
  declare tenant: string
  declare live: LiveSync | undefined
  declare filters: Filters
  declare finding: string
  declare role: Role
  declare _rows: FindingRow[]
  declare _next: string | null
  declare _counts: Counts | undefined
  declare _loading: boolean
  declare _error: string
  declare _stale: boolean
  declare _busy: boolean
  declare _actionError: string
  readonly detail = new FetchController<FindingDetail | undefined>(this, (signal) => (this.finding ? this.api.finding(this.tenant, this.finding, signal) : Promise.resolve(undefined)))
  #abort: AbortController | undefined
  #unlisten: (() => void) | undefined
  // The hub signals a change once its index holds it: reload soon, and at most this often.
  readonly #refresh = throttle(() => { void this.#reload() }, 80)
  readonly #search = debounce(() => this.#setFilter('q', this.#q), 300)
  #q = ''
  /** Set when the page has rendered rows from the server (the bench reads it). */
  firstRowsAt = 0

  constructor() {
    super()
    this.filters = {}
    this.finding = ''
    this.role = 'viewer'
    this._rows = []
    this._next = null
    this._counts = undefined
    this._loading = false
    this._error = ''
    this._stale = false
    this._busy = false
    this._actionError = ''
  }

  static override styles = [shared, css`
    :host { display: grid; grid-template-columns: 1fr; grid-template-rows: auto auto 1fr; height: calc(100vh - var(--header-h, 56px)); min-height: 420px; }
    :host([detail-open]) { grid-template-columns: minmax(0, 1fr) minmax(360px, 38%); }
    .bar { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 8px; padding: 10px 16px; align-items: flex-end; border-bottom: 1px solid var(--border); }
    .bar input[type=search] { min-width: 14em; }
    .info { grid-column: 1; padding: 6px 16px; font-size: .85rem; display: flex; gap: 12px; align-items: center; min-height: 32px; }
    zt-findings-table { grid-column: 1; grid-row: 3; min-height: 0; }
    zt-finding-detail { grid-column: 2; grid-row: 2 / 4; border-left: 1px solid var(--border); min-height: 0; }
    @media (max-width: 900px) {
      :host([detail-open]) { grid-template-columns: 1fr; }
      /* A full-screen sheet on phones, over the header; its close button (and Escape) return. */
      zt-finding-detail { position: fixed; inset: 0; z-index: 20; border-left: none; grid-column: 1; }
    }
  `]

  override connectedCallback() {
    super.connectedCallback()
    this.#listen()
    this.addEventListener('keydown', this.#onKey)
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    this.#unlisten?.()
    this.#abort?.abort()
    for (const d of [this.#refresh, this.#search]) d.cancel()
    this.removeEventListener('keydown', this.#onKey)
  }

  #listen() {
    this.#unlisten?.()
    this.#unlisten = this.live?.on((c: LiveChange) => {
      if (c.doc === 'agents') return
      this.#refresh()
    })
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('live') && this.isConnected) this.#listen()
    if (changed.has('tenant') || changed.has('api') || (changed.has('filters') && JSON.stringify(changed.get('filters')) !== JSON.stringify(this.filters))) {
      this.#q = this.filters.q ?? ''
      void this.#load()
    }
    if (changed.has('finding') || changed.has('tenant')) { this._actionError = ''; void this.detail.run({ keep: false }) }
    this.toggleAttribute('detail-open', !!this.finding)
  }

  /** The first page for the current filters, replacing what was shown. */
  async #load(): Promise<void> {
    this.#abort?.abort()
    const abort = new AbortController()
    this.#abort = abort
    this._loading = true
    this._error = ''
    this._stale = false
    try {
      const page = await this.api.findings(this.tenant, this.filters, { limit: FIRST_PAGE, facets: true }, abort.signal)
      if (abort.signal.aborted) return
      this._rows = page.findings
      this._next = page.next
      this._counts = page.counts
      this.firstRowsAt ||= performance.now()
      const table = this.renderRoot.querySelector<ZtFindingsTable>('zt-findings-table')
      if (table) table.active = 0
    } catch (err) {
      if (!abort.signal.aborted) this._error = (err as Error).message
    } finally {
      if (this.#abort === abort) this._loading = false
    }
  }

  async #loadMore(): Promise<void> {
    if (!this._next || this._loading) return
    const abort = new AbortController()
    this.#abort = abort
    this._loading = true
    try {
      const page = await this.api.findings(this.tenant, this.filters, { limit: NEXT_PAGE, cursor: this._next }, abort.signal)
      if (abort.signal.aborted) return
      this._rows = [...this._rows, ...page.findings]
      this._next = page.next
    } catch (err) {
      if (!abort.signal.aborted) this._error = (err as Error).message
    } finally {
      if (this.#abort === abort) this._loading = false
    }
  }

  /** A live change: what is loaded is fetched again in one request (or a refresh is offered). */
  async #reload(): Promise<void> {
    // A page still loading: this change is taken up (the open finding's detail too) once it has.
    if (this._loading) { this.#refresh(); return }
    if (this.finding) void this.detail.run()
    if (this._rows.length > LIVE_REFETCH_MAX) { this._stale = true; return }
    const abort = new AbortController()
    this.#abort = abort
    try {
      const page = await this.api.findings(this.tenant, this.filters, { limit: Math.min(LIVE_REFETCH_MAX, Math.max(FIRST_PAGE, this._rows.length)), facets: true }, abort.signal)
      if (abort.signal.aborted) return
      this._rows = page.findings
      this._next = page.next
      this._counts = page.counts
    } catch { /* a live refresh that fails leaves the page as it was */ }
  }

  #setFilter(name: keyof Filters, value: string) {
    const filters = { ...this.filters, [name]: value || undefined }
    navigate(pathFor(this.tenant, 'findings', filters, this.finding || undefined), { replace: true })
  }

  #select(id: string | undefined) {
    navigate(pathFor(this.tenant, 'findings', this.filters, id), { replace: !!this.finding && !!id })
    if (!id) this.renderRoot.querySelector<ZtFindingsTable>('zt-findings-table')?.renderRoot.querySelector<HTMLElement>('.viewport')?.focus()
  }

  readonly #onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && this.finding) { e.preventDefault(); this.#select(undefined) }
  }

  async #act(fn: () => Promise<void>) {
    this._busy = true
    this._actionError = ''
    try {
      await fn()
      await Promise.all([this.detail.run(), this.#reload()])
    } catch (err) {
      this._actionError = (err as Error).message
    } finally {
      this._busy = false
    }
  }

  #select_(name: keyof Filters, label: string, options: readonly string[], counts?: Record<string, number>, any = 'any') {
    return html`<label>${label}
      <select aria-label=${label} @change=${(e: Event) => this.#setFilter(name, (e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${!this.filters[name]}>${any}</option>
        ${options.map((o) => html`<option value=${o} ?selected=${this.filters[name] === o}>${o}${counts?.[o] !== undefined ? ` (${counts[o]})` : ''}</option>`)}
      </select></label>`
  }

  override render() {
    const c = this._counts
    const keys = (r?: Record<string, number>) => Object.keys(r ?? {}).sort()
    const canTriage = this.role === 'analyst' || this.role === 'admin' || this.role === 'operator'
    return html`
      <form class="bar" role="search" aria-label="Filter findings" @submit=${(e: Event) => e.preventDefault()}>
        <label>Search <input type="search" name="q" aria-label="Search" .value=${this.filters.q ?? ''} placeholder="rule, title, package, path"
          @input=${(e: Event) => { this.#q = (e.target as HTMLInputElement).value; this.#search() }}></label>
        ${this.#select_('severity', 'Severity', SEVERITIES, c?.severity)}
        ${this.#select_('kind', 'Kind', KINDS, c?.kind)}
        ${this.#select_('status', 'Status', ['resolved', 'all'], undefined, 'open')}
        ${this.#select_('triage', 'Triage', TRIAGE_STATUSES, c?.triage)}
        ${this.#select_('ecosystem', 'Ecosystem', keys(c?.ecosystem), c?.ecosystem)}
        ${this.#select_('sort', 'Sort', ['severity', 'first'], undefined, 'risk')}
        ${this.filters.package || this.filters.agent || this.filters.rule || this.filters.kev ? html`<button type="button" @click=${() => navigate(pathFor(this.tenant, 'findings', { ...this.filters, package: undefined, agent: undefined, rule: undefined, kev: undefined }), { replace: true })}>Clear ${['package', 'agent', 'rule', 'kev'].filter((k) => this.filters[k as keyof Filters]).map((k) => k === 'kev' ? 'known exploited only' : `${k}=${this.filters[k as keyof Filters]}`).join(' ')} ✕</button>` : nothing}
      </form>
      <div class="info" aria-live="polite">
        <span data-loaded=${this._rows.length}>${this._rows.length}${this._next ? '+' : ''} ${this._rows.length === 1 && !this._next ? 'finding' : 'findings'}${this._loading ? ' · loading…' : ''}</span>
        ${this._error ? html`<span class="error" role="alert">${this._error}</span>` : nothing}
        ${this._stale ? html`<button type="button" @click=${() => this.#load()}>New changes: refresh</button>` : nothing}
      </div>
      <zt-findings-table .rows=${this._rows} .more=${!!this._next} .loading=${this._loading} .selected=${this.finding}
        @zt-load-more=${() => this.#loadMore()} @zt-select=${(e: CustomEvent<{ id: string }>) => this.#select(e.detail.id)}></zt-findings-table>
      ${this.finding ? html`<zt-finding-detail role="region" aria-label="Finding detail" tenant=${this.tenant} .detail=${this.detail.value} .loading=${this.detail.loading}
        .error=${this._actionError || (this.detail.error?.message ?? '')} .canTriage=${canTriage} .busy=${this._busy}
        @zt-close=${() => this.#select(undefined)}
        @zt-triage=${(e: CustomEvent<TriageRequest>) => this.#act(() => this.api.triage(this.tenant, this.finding, e.detail))}
        @zt-comment=${(e: CustomEvent<{ text: string }>) => this.#act(() => this.api.comment(this.tenant, this.finding, e.detail.text))}></zt-finding-detail>` : nothing}`
  }
}
customElements.define('zt-findings-page', ZtFindingsPage)
declare global { interface HTMLElementTagNameMap { 'zt-findings-page': ZtFindingsPage } }
