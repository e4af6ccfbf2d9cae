// One finding in full: what and where, the fix, the advisory text and the enricher's scores,
// the agents and paths with the same problem, the evidence chain (the signed envelopes that
// carried it: author, seq, time), its triage and comments, and the triage actions for
// analysts. All of it is data, bound as text.
import { LitElement, css, html, nothing } from 'lit'
import type { Advisory, FindingDetail, TriageRequest, TriageStatus } from '../api/types.ts'
import { agentPath } from '../router.ts'
import { shared } from './shared-styles.ts'
import './zt-finding-scores.ts'

const when = (ms: number | undefined) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—')
/** Only web links from an advisory become links: a `javascript:` reference stays text. */
const webUrl = (url: string) => /^https?:\/\//i.test(url)
const ACTIONS: { status: TriageStatus, label: string }[] = [
  { status: 'acknowledged', label: 'Acknowledge' }, { status: 'false-positive', label: 'False positive' },
  { status: 'fixed', label: 'Mark fixed' }, { status: 'open', label: 'Reopen' },
]

export class ZtFindingDetail extends LitElement {
  static override properties = {
    detail: { attribute: false }, loading: { type: Boolean }, error: { type: String }, canTriage: { type: Boolean }, busy: { type: Boolean }, tenant: { type: String },
  }
  /** Links to the agents go under this tenant. */
  declare tenant: string
  declare detail: FindingDetail | undefined
  declare loading: boolean
  declare error: string
  declare canTriage: boolean
  declare busy: boolean

  constructor() {
    super()
    this.detail = undefined
    this.loading = false
    this.error = ''
    this.canTriage = false
    this.busy = false
    this.tenant = ''
  }

  static override styles = [shared, css`
    :host { display: block; overflow-y: auto; padding: 14px 16px; background: var(--bg-raised); }
    header { display: flex; justify-content: space-between; gap: 8px; align-items: flex-start; }
    h2 { overflow-wrap: anywhere; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 8px 0 14px; }
    dt { color: var(--fg-muted); } dd { margin: 0; overflow-wrap: anywhere; }
    section { border-top: 1px solid var(--border); padding-top: 10px; margin-top: 10px; }
    .actions { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; }
    form { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; }
    textarea { width: 100%; min-height: 60px; }
    ul, ol { margin: 0; padding-left: 1.1rem; } li { margin: 3px 0; overflow-wrap: anywhere; }
    .comment { white-space: pre-wrap; }
    .wide { width: 100%; }
    .details { white-space: pre-wrap; max-height: 16em; overflow-y: auto; }
    .refs { font-size: .85rem; }
  `]

  #emitTriage(body: TriageRequest) {
    this.dispatchEvent(new CustomEvent<TriageRequest>('zt-triage', { detail: body, bubbles: true, composed: true }))
  }

  #riskAccept(e: Event) {
    e.preventDefault()
    const data = new FormData(e.target as HTMLFormElement)
    const until = String(data.get('until') ?? '')
    this.#emitTriage({ status: 'risk-accepted', until: until ? new Date(`${until}T23:59:59Z`).toISOString() : undefined, reason: String(data.get('reason') ?? '').trim() })
  }

  #comment(e: Event) {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    const text = String(new FormData(form).get('text') ?? '').trim()
    if (!text) return
    this.dispatchEvent(new CustomEvent('zt-comment', { detail: { text }, bubbles: true, composed: true }))
    form.reset()
  }

  #agent(id: string) {
    return this.tenant ? html`<a class="mono" href=${agentPath(this.tenant, id)}>${id}</a>` : html`<span class="mono">${id}</span>`
  }

  #advisory(a: Advisory) {
    return html`<section aria-labelledby="advisory-h"><h3 id="advisory-h">Advisory <span class="mono muted">${a.id}</span></h3>
      ${a.summary ? html`<p data-summary>${a.summary}</p>` : nothing}
      ${a.details ? html`<div class="details" data-details>${a.details}</div>` : nothing}
      ${a.published ? html`<p class="muted">Published ${a.published.slice(0, 10)}${a.modified ? `, modified ${a.modified.slice(0, 10)}` : ''}</p>` : nothing}
      ${a.references?.length ? html`<ul class="refs">${a.references.slice(0, 20).map((r) => html`<li>${webUrl(r.url) ? html`<a href=${r.url} target="_blank" rel="noopener noreferrer">${r.url}</a>` : html`<span class="mono">${r.url}</span>`} <span class="muted">${r.type.toLowerCase()}</span></li>`)}</ul>` : nothing}
    </section>`
  }

  override render() {
    const close = html`<button type="button" aria-label="Close the finding" @click=${() => this.dispatchEvent(new CustomEvent('zt-close', { bubbles: true, composed: true }))}>✕</button>`
    const d = this.detail
    if (!d) return html`<header><p class=${this.error ? 'error' : 'muted'}>${this.error || (this.loading ? 'Loading…' : '')}</p>${close}</header>`
    const f = d.finding
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    return html`
      <header><h2 id="finding-title" class="title">${f.title || f.rule}</h2>${close}</header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <dl>
        <dt>Severity</dt><dd><span class="sev sev-${f.severity}">${f.severity}</span>${f.score !== undefined ? html` CVSS ${f.score}` : ''} · risk ${f.risk}</dd>
        <dt>Rule</dt><dd class="mono">${f.rule}${f.aliases && f.aliases.length > 1 ? html` <span class="muted">(${f.aliases.slice(1).join(', ')})</span>` : ''}</dd>
        <dt>Kind</dt><dd>${f.kind}</dd>
        ${f.package ? html`<dt>Package</dt><dd class="mono">${f.ecosystem ?? ''} ${f.package}@${f.version ?? '?'}</dd>` : nothing}
        ${f.fixedIn?.length ? html`<dt>Fixed in</dt><dd class="mono">${f.fixedIn.join(', ')}</dd>` : nothing}
        <dt>Where</dt><dd class="mono">${f.path}${f.line ? `:${f.line}` : ''}</dd>
        ${f.evidence ? html`<dt>Evidence</dt><dd class="mono">${f.evidence}</dd>` : nothing}
        <dt>Agent</dt><dd class="mono">${f.agent}</dd>
        <dt>First seen</dt><dd>${when(f.firstSeen)}</dd>
        <dt>Status</dt><dd>${f.status}${f.resolvedAt ? ` (resolved ${when(f.resolvedAt)})` : ''}</dd>
        <dt>Triage</dt><dd data-triage=${d.triage?.status ?? 'open'}>${d.triage?.status ?? 'open'}${d.triage ? html` <span class="muted">by ${d.triage.by}, ${when(d.triage.at)}${d.triage.until ? `, until ${when(d.triage.until)}` : ''}${d.triage.reason ? ` — ${d.triage.reason}` : ''}</span>` : ''}</dd>
      </dl>
      ${this.canTriage ? html`
        <section aria-labelledby="triage-h"><h3 id="triage-h">Triage</h3>
          <div class="actions">${ACTIONS.filter((a) => a.status !== (d.triage?.status ?? 'open')).map((a) => html`
            <button type="button" ?disabled=${this.busy} @click=${() => this.#emitTriage({ status: a.status })}>${a.label}</button>`)}
          </div>
          <form @submit=${this.#riskAccept}>
            <label>Accept the risk until <input type="date" name="until" required min=${tomorrow}></label>
            <label>Reason <input name="reason" required maxlength="2000"></label>
            <button type="submit" ?disabled=${this.busy}>Accept risk</button>
          </form>
        </section>` : nothing}
      ${f.kind === 'vuln' ? html`<section aria-labelledby="scores-h"><h3 id="scores-h">Scores</h3>
        <zt-finding-scores .enrichment=${d.enrichment} .score=${f.score}></zt-finding-scores></section>` : nothing}
      ${d.advisory ? this.#advisory(d.advisory) : nothing}
      <section aria-labelledby="affected-h"><h3 id="affected-h">Affected agents and paths (${d.affected.length || 1})</h3>
        <ul>${(d.affected.length ? d.affected : [{ id: f.id, agent: f.agent, path: f.path, version: f.version, status: f.status }]).map((a) => html`
          <li data-affected>${this.#agent(a.agent)}<br><span class="mono">${a.path}</span>${a.version ? ` @ ${a.version}` : ''} <span class="muted">${a.status}</span></li>`)}</ul>
      </section>
      <section aria-labelledby="history-h"><h3 id="history-h">Evidence chain</h3>
        ${d.history.length === 0 ? html`<p class="muted">No signed history held.</p>` : html`<ol>${d.history.map((h) => html`
          <li data-envelope=${h.seq}>Envelope #${h.seq} (${h.kind}) signed by ${this.#agent(h.author)} at <time datetime=${new Date(h.ts).toISOString()}>${when(h.ts)}</time></li>`)}</ol>`}
      </section>
      <section aria-labelledby="comments-h"><h3 id="comments-h">Comments (${d.comments.length})</h3>
        <ul>${d.comments.map((c) => html`<li><b>${c.by}</b> <span class="muted">${when(c.at)}</span><div class="comment">${c.text}</div></li>`)}</ul>
        ${this.canTriage ? html`<form @submit=${this.#comment}>
          <label class="wide">Add a comment <textarea name="text" required maxlength="10000"></textarea></label>
          <button type="submit" ?disabled=${this.busy}>Comment</button></form>` : nothing}
      </section>`
  }
}
customElements.define('zt-finding-detail', ZtFindingDetail)
declare global { interface HTMLElementTagNameMap { 'zt-finding-detail': ZtFindingDetail } }
