// The shell: who is signed in (session cookie, or a token typed at login), the tenants they
// may see, the route from the URL, live updates for the current tenant, and the page.
import { LitElement, css, html, nothing } from 'lit'
import { HttpApi, login, logout, type Credentials } from '../api/client.ts'
import { probeSession, storeCredentials } from '../api/session.ts'
import type { Role, TenantEntry } from '../api/types.ts'
import { LiveSync, type LiveState } from '../live/live-sync.ts'
import { NAVIGATE, PAGES, navigate, parseRoute, pathFor, type Route } from '../router.ts'
import { shared } from './shared-styles.ts'
import type { LoginRequest } from './zt-login.ts'
import './zt-login.ts'
import './zt-tenant-switcher.ts'
import './zt-live-banner.ts'
import './zt-overview.ts'
import './zt-findings-page.ts'
import './zt-agents-page.ts'
import './zt-reports-page.ts'
import './zt-agent-page.ts'
import './zt-keys-page.ts'

const TITLES = { overview: 'Overview', findings: 'Findings', agents: 'Agents', reports: 'Reports', keys: 'Keys and users', agent: 'Agent' } as const
/** Pages only a tenant's admins see (the API refuses the others anyway). */
const ADMIN_PAGES: readonly string[] = ['keys']
const isAdmin = (role: Role) => role === 'admin' || role === 'operator'

export class ZtApp extends LitElement {
  static override properties = {
    _route: { state: true }, _phase: { state: true }, _users: { state: true }, _loginError: { state: true }, _busy: { state: true },
    _tenants: { state: true }, _live: { state: true }, _liveState: { state: true }, _user: { state: true }, _error: { state: true },
  }
  declare _route: Route
  declare _phase: 'starting' | 'signed-out' | 'signed-in'
  declare _users: boolean
  declare _loginError: string
  declare _busy: boolean
  declare _tenants: TenantEntry[]
  declare _live: LiveSync | undefined
  declare _liveState: LiveState
  declare _user: string
  declare _error: string
  api: HttpApi | undefined
  /** For tests: where /sync is. */
  syncUrl = LiveSync.urlFor(location)
  #unstate: (() => void) | undefined

  constructor() {
    super()
    this._route = parseRoute(new URL(location.href))
    this._phase = 'starting'
    this._users = true
    this._loginError = ''
    this._busy = false
    this._tenants = []
    this._live = undefined
    this._liveState = 'connecting'
    this._user = ''
    this._error = ''
  }

  static override styles = [shared, css`
    :host { display: block; min-height: 100vh; --header-h: 56px; }
    header { display: flex; align-items: center; gap: 16px; padding: 0 16px; height: var(--header-h); background: var(--bg-raised); border-bottom: 1px solid var(--border); position: sticky; top: 0; z-index: 10; }
    .brand { font-weight: 700; text-decoration: none; color: var(--fg); white-space: nowrap; }
    nav { display: flex; gap: 4px; overflow-x: auto; }
    nav a { padding: 6px 10px; border-radius: 6px; text-decoration: none; color: var(--fg); white-space: nowrap; }
    nav a[aria-current=page] { background: var(--bg-active); font-weight: 600; }
    .spacer { flex: 1; }
    .user { display: flex; gap: 8px; align-items: center; white-space: nowrap; }
    main { display: block; }
    .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; z-index: 20; background: var(--bg-raised); padding: 6px; }
    @media (max-width: 720px) {
      :host { --header-h: 96px; }
      header { flex-wrap: wrap; height: auto; min-height: var(--header-h); padding: 6px 10px; gap: 6px 10px; }
      nav { order: 3; width: 100%; } .user .who { display: none; }
    }
  `]

  override connectedCallback() {
    super.connectedCallback()
    window.addEventListener('popstate', this.#onUrl)
    window.addEventListener(NAVIGATE, this.#onUrl)
    this.addEventListener('click', this.#onClick)
    void this.#start()
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    window.removeEventListener('popstate', this.#onUrl)
    window.removeEventListener(NAVIGATE, this.#onUrl)
    this.removeEventListener('click', this.#onClick)
    this.#setLive(undefined)
  }

  readonly #onUrl = () => { this._route = parseRoute(new URL(location.href)); this.#route() }

  /** Same-origin links move inside the app (shadow roots included) rather than reloading it. */
  readonly #onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement)
    if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin || a.pathname.startsWith('/api/')) return
    e.preventDefault()
    navigate(a.pathname + a.search)
  }

  async #start() {
    const probe = await probeSession()
    if (probe.state === 'signed-in') await this.#signedIn(probe.credentials, probe.user, probe.tenants)
    else { this._users = probe.users; this._phase = 'signed-out'; this.#route() }
  }

  async #signedIn(credentials: Credentials, user?: string, tenants?: TenantEntry[]) {
    storeCredentials(credentials)
    const api = new HttpApi(credentials)
    api.onUnauthorized = () => this.#signOut()
    this.api = api
    this._user = user ?? (credentials.kind === 'token' ? 'token' : '')
    try {
      this._tenants = tenants ?? await api.tenants()
      this._error = ''
    } catch (err) {
      this._error = (err as Error).message
    }
    this._phase = 'signed-in'
    this.#route()
  }

  async #signOut() {
    if (this.api?.credentials.kind === 'session') await logout()
    storeCredentials(undefined)
    this.api = undefined
    this._tenants = []
    this._phase = 'signed-out'
    this.#setLive(undefined)
    navigate('/login')
  }

  /** Sends the route where it may go: login when signed out, the first tenant from home. */
  #route() {
    const r = this._route
    if (this._phase === 'signed-out' && r.page !== 'login') { navigate('/login', { replace: true }); return }
    if (this._phase !== 'signed-in') return
    if ((r.page === 'login' || r.page === 'home') && this._tenants[0]) { navigate(pathFor(this._tenants[0].tenant, 'overview'), { replace: true }); return }
    const tenant = 'tenant' in r ? r.tenant : undefined
    if (tenant !== this._live?.tenant) this.#setLive(tenant && this._tenants.some((t) => t.tenant === tenant) ? tenant : undefined)
    document.title = 'tenant' in r ? `${TITLES[r.page]} · ${r.tenant} · ZeroTrace` : 'ZeroTrace'
  }

  #setLive(tenant: string | undefined) {
    this.#unstate?.()
    this._live?.stop()
    this._live = undefined
    if (!tenant) return
    const live = new LiveSync({ url: this.syncUrl, tenant })
    this.#unstate = live.onState((s) => { this._liveState = s })
    this._liveState = live.state
    live.start()
    this._live = live
  }

  async #login(e: CustomEvent<LoginRequest>) {
    this._busy = true
    this._loginError = ''
    try {
      const req = e.detail
      if ('token' in req) {
        const res = await fetch('/api/v1/tenants', { headers: { authorization: `Bearer ${req.token}`, accept: 'application/json' } })
        if (!res.ok) throw new Error(res.status === 401 ? 'The hub does not take that token.' : `The hub answered ${res.status}.`)
        await this.#signedIn({ kind: 'token', token: req.token })
      } else {
        const credentials = await login(req.name, req.password)
        if (!credentials) { this._users = false; throw new Error('This hub has no user logins: sign in with a token.') }
        await this.#signedIn(credentials, req.name)
      }
    } catch (err) {
      this._loginError = (err as Error).message
    } finally {
      this._busy = false
    }
  }

  #role(tenant: string): Role {
    return this._tenants.find((t) => t.tenant === tenant)?.role ?? 'viewer'
  }

  #page(r: Route) {
    if (!('tenant' in r)) return r.page === 'not-found' ? html`<p class="muted">No such page. <a href="/">Go to the overview</a>.</p>` : nothing
    if (!this._tenants.some((t) => t.tenant === r.tenant)) return html`<p class="error" role="alert">No tenant ${r.tenant} for this account.</p>`
    const api = this.api!
    switch (r.page) {
      case 'overview': return html`<zt-overview .api=${api} tenant=${r.tenant} .live=${this._live}></zt-overview>`
      case 'findings': return html`<zt-findings-page .api=${api} tenant=${r.tenant} .live=${this._live} .filters=${r.filters} finding=${r.finding ?? ''} role=${this.#role(r.tenant)}></zt-findings-page>`
      case 'agents': return html`<zt-agents-page .api=${api} tenant=${r.tenant} .live=${this._live} role=${this.#role(r.tenant)}></zt-agents-page>`
      case 'reports': return html`<zt-reports-page .api=${api} tenant=${r.tenant} .filters=${r.filters}></zt-reports-page>`
      case 'agent': return html`<zt-agent-page .api=${api} tenant=${r.tenant} agent=${r.agent} .live=${this._live} role=${this.#role(r.tenant)}></zt-agent-page>`
      case 'keys': return isAdmin(this.#role(r.tenant))
        ? html`<zt-keys-page .api=${api} tenant=${r.tenant}></zt-keys-page>`
        : html`<p class="error" role="alert">Keys and users are for the tenant's admins.</p>`
    }
  }

  override render() {
    if (this._phase === 'starting') return html`<p class="muted" aria-busy="true">Loading…</p>`
    if (this._phase === 'signed-out') return html`<zt-login .users=${this._users} .error=${this._loginError} .busy=${this._busy} @zt-login=${this.#login}></zt-login>`
    const r = this._route
    const tenant = 'tenant' in r ? r.tenant : this._tenants[0]?.tenant ?? ''
    const filters = 'filters' in r ? r.filters : {}
    return html`
      <a class="skip" href="#main" @click=${(e: Event) => { e.preventDefault(); this.renderRoot.querySelector<HTMLElement>('main')?.focus() }}>Skip to content</a>
      <header>
        <a class="brand" href=${tenant ? pathFor(tenant, 'overview') : '/'}>ZeroTrace</a>
        <zt-tenant-switcher .tenants=${this._tenants} current=${tenant}
          @zt-tenant-change=${(e: CustomEvent<{ tenant: string }>) => navigate(pathFor(e.detail.tenant, 'tenant' in r ? (r.page === 'agent' ? 'agents' : r.page) : 'overview'))}></zt-tenant-switcher>
        <nav aria-label="Pages">${tenant ? PAGES.filter((p) => !ADMIN_PAGES.includes(p) || isAdmin(this.#role(tenant))).map((p) => html`<a href=${pathFor(tenant, p, p === 'reports' || p === 'findings' ? { ...filters } : {})} aria-current=${'tenant' in r && (r.page === p || (r.page === 'agent' && p === 'agents')) ? 'page' : 'false'}>${TITLES[p]}</a>`) : nothing}</nav>
        <span class="spacer"></span>
        <span class="user"><span class="who muted">${this._user}</span><button type="button" @click=${() => this.#signOut()}>Sign out</button></span>
      </header>
      <zt-live-banner state=${this._liveState}></zt-live-banner>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${this._tenants.length === 0 && !this._error ? html`<p class="muted">This account sees no tenant.</p>` : nothing}
      <main id="main" tabindex="-1">${this.#page(r)}</main>`
  }
}
customElements.define('zt-app', ZtApp)
declare global { interface HTMLElementTagNameMap { 'zt-app': ZtApp } }
