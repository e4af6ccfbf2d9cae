// Says when the page is not live: the socket dropped (it reconnects by itself), or the hub
// refused live updates for these credentials and the page refreshes on a timer instead.
import { LitElement, css, html, nothing } from 'lit'
import type { LiveState } from '../live/live-sync.ts'
import { shared } from './shared-styles.ts'

export class ZtLiveBanner extends LitElement {
  static override properties = { state: { type: String } }
  declare state: LiveState

  constructor() {
    super()
    this.state = 'connecting'
  }

  static override styles = [shared, css`
    div { background: var(--banner-bg); color: var(--banner-fg); padding: 6px 16px; font-size: .9rem; border-bottom: 1px solid var(--border); }
  `]

  override render() {
    if (this.state === 'reconnecting') return html`<div role="status">Live updates interrupted: reconnecting… The page shows what it had.</div>`
    if (this.state === 'polling') return html`<div role="status">Live updates are not available with these credentials: the page refreshes every few seconds.</div>`
    return nothing
  }
}
customElements.define('zt-live-banner', ZtLiveBanner)
declare global { interface HTMLElementTagNameMap { 'zt-live-banner': ZtLiveBanner } }
