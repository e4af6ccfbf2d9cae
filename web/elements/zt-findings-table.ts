// The findings list, virtualized: only the rows in view (and a few beyond) are in the DOM,
// so 100,000 rows scroll like 50. Rows are a fixed height; the spacer is the full height.
// Keyboard: ↑/↓ (j/k), PageUp/PageDown, Home/End move the active row, Enter opens it.
// Scrolling near the end asks for the next page (`zt-load-more`).
import { LitElement, css, html } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { FindingRow } from '../api/types.ts'
import { shared } from './shared-styles.ts'

export const ROW_HEIGHT = 40
const OVERSCAN = 8

export class ZtFindingsTable extends LitElement {
  static override properties = {
    rows: { attribute: false }, more: { type: Boolean }, loading: { type: Boolean }, selected: { type: String },
    active: { type: Number }, _scrollTop: { state: true }, _height: { state: true },
  }
  declare rows: FindingRow[]
  /** More rows on the server. */
  declare more: boolean
  declare loading: boolean
  declare selected: string
  declare active: number
  declare _scrollTop: number
  declare _height: number
  #resize: ResizeObserver | undefined

  constructor() {
    super()
    this.rows = []
    this.more = false
    this.loading = false
    this.selected = ''
    this.active = 0
    this._scrollTop = 0
    this._height = 600
  }

  static override styles = [shared, css`
    :host { display: flex; flex-direction: column; min-height: 0; }
    .head, .row { display: grid; grid-template-columns: 6.5rem minmax(9rem, 1.1fr) minmax(10rem, 2fr) minmax(8rem, 1.2fr) minmax(8rem, 1.4fr) 7rem; gap: 10px; align-items: center; padding: 0 12px; }
    .head { font-size: .8rem; color: var(--fg-muted); border-bottom: 1px solid var(--border); height: 32px; }
    .head { overflow: hidden; scrollbar-gutter: stable; }
    .viewport { flex: 1; overflow-y: auto; scrollbar-gutter: stable; position: relative; min-height: 200px; }
    .viewport:focus-visible { outline: 3px solid var(--focus); outline-offset: -3px; }
    .spacer { position: relative; }
    .rows { position: absolute; left: 0; right: 0; top: 0; }
    .row { height: ${ROW_HEIGHT}px; border-bottom: 1px solid var(--border); cursor: pointer; }
    .row > span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .row:hover { background: var(--bg-hover); }
    .row.active { background: var(--bg-active); box-shadow: inset 3px 0 0 var(--accent); }
    .row.selected { font-weight: 600; }
    .empty { padding: 24px; }
    @media (max-width: 720px) {
      .head, .row { grid-template-columns: 6rem 1fr 6rem; }
      .head > :nth-child(3), .head > :nth-child(5), .row > :nth-child(3), .row > :nth-child(5), .head > :nth-child(4), .row > :nth-child(4) { display: none; }
    }
  `]

  override firstUpdated() {
    const vp = this.renderRoot.querySelector<HTMLElement>('.viewport')!
    this._height = vp.clientHeight || 600
    if (typeof ResizeObserver !== 'undefined') {
      this.#resize = new ResizeObserver(() => { this._height = vp.clientHeight || this._height })
      this.#resize.observe(vp)
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    this.#resize?.disconnect()
  }

  /** Row geometry through the CSSOM (not style attributes, which the CSP forbids). */
  #first = 0

  override updated(changed: Map<string, unknown>) {
    const spacer = this.renderRoot.querySelector<HTMLElement>('.spacer')!
    spacer.style.height = `${this.rows.length * ROW_HEIGHT}px`
    this.renderRoot.querySelector<HTMLElement>('.rows')!.style.transform = `translateY(${this.#first * ROW_HEIGHT}px)`
    if (changed.has('rows') || changed.has('_height') || changed.has('_scrollTop')) this.#maybeLoadMore()
  }

  #maybeLoadMore() {
    const end = (this._scrollTop + this._height) / ROW_HEIGHT
    if (this.more && !this.loading && end > this.rows.length - 2 * Math.ceil(this._height / ROW_HEIGHT)) {
      this.dispatchEvent(new CustomEvent('zt-load-more', { bubbles: true, composed: true }))
    }
  }

  #open(row: FindingRow) {
    this.dispatchEvent(new CustomEvent('zt-select', { detail: { id: row.id }, bubbles: true, composed: true }))
  }

  /** Moves the active row, keeping it in view. */
  setActive(i: number) {
    if (this.rows.length === 0) return
    this.active = Math.max(0, Math.min(this.rows.length - 1, i))
    const vp = this.renderRoot.querySelector<HTMLElement>('.viewport')
    if (!vp) return
    const top = this.active * ROW_HEIGHT
    if (top < vp.scrollTop) vp.scrollTop = top
    else if (top + ROW_HEIGHT > vp.scrollTop + vp.clientHeight) vp.scrollTop = top + ROW_HEIGHT - vp.clientHeight
    this._scrollTop = vp.scrollTop
  }

  #key(e: KeyboardEvent) {
    const page = Math.max(1, Math.floor(this._height / ROW_HEIGHT) - 1)
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: page, PageUp: -page }
    if (e.key in moves) this.setActive(this.active + moves[e.key]!)
    else if (e.key === 'Home') this.setActive(0)
    else if (e.key === 'End') this.setActive(this.rows.length - 1)
    else if (e.key === 'Enter' || e.key === ' ') { const r = this.rows[this.active]; if (r) this.#open(r) }
    else return
    e.preventDefault()
  }

  override render() {
    const rows = this.rows
    const first = Math.max(0, Math.floor(this._scrollTop / ROW_HEIGHT) - OVERSCAN)
    const last = Math.min(rows.length, Math.ceil((this._scrollTop + this._height) / ROW_HEIGHT) + OVERSCAN)
    const slice = rows.slice(first, last)
    this.#first = first
    const activeRow = rows[this.active]
    return html`
      <div class="head" aria-hidden="true"><span>Severity</span><span>Rule</span><span>Title</span><span>Package</span><span>Path</span><span>Triage</span></div>
      <div class="viewport" tabindex="0" role="listbox" aria-label="Findings (${rows.length}${this.more ? '+' : ''}); arrow keys move, Enter opens"
        aria-activedescendant=${activeRow ? `r-${activeRow.id}` : ''}
        @scroll=${(e: Event) => { this._scrollTop = (e.target as HTMLElement).scrollTop }} @keydown=${this.#key}>
        ${rows.length === 0 && !this.loading ? html`<p class="empty muted">No findings match.</p>` : ''}
        <div class="spacer">
          <div class="rows">
            ${repeat(slice, (r) => r.id, (r, k) => {
              const i = first + k
              return html`<div id="r-${r.id}" role="option" aria-selected=${r.id === this.selected ? 'true' : 'false'} data-id=${r.id}
                class="row ${i === this.active ? 'active' : ''} ${r.id === this.selected ? 'selected' : ''}"
                @click=${() => { this.active = i; this.#open(r) }}>
                <span><span class="sev sev-${r.severity}">${r.severity}</span></span>
                <span class="mono">${r.rule}</span>
                <span class="title">${r.title ?? ''}</span>
                <span>${r.package ? `${r.package}@${r.version ?? '?'}` : r.kind}</span>
                <span class="mono">${r.path}${r.line ? `:${r.line}` : ''}</span>
                <span>${r.triage}</span>
              </div>`
            })}
          </div>
        </div>
      </div>`
  }
}
customElements.define('zt-findings-table', ZtFindingsTable)
declare global { interface HTMLElementTagNameMap { 'zt-findings-table': ZtFindingsTable } }
