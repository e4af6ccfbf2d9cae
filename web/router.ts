// Routes are URLs the hub answers with the app (hub/static.ts): /login, /t/<tenant>/<page>,
// findings filters as the query (?severity=high&q=lodash&finding=<id>), so a view is a link;
// one agent at /t/<tenant>/agents/<agent id>.
import { FILTERS, type Filters } from './api/types.ts'

export const PAGES = ['overview', 'findings', 'agents', 'reports', 'keys'] as const
export type Page = typeof PAGES[number]
export type Route = { page: 'login' } | { page: 'home' } | { page: Page, tenant: string, filters: Filters, finding?: string }
  | { page: 'agent', tenant: string, agent: string, filters: Filters } | { page: 'not-found' }

export function parseRoute(url: URL): Route {
  const parts = url.pathname.split('/').filter(Boolean).map((p) => { try { return decodeURIComponent(p) } catch { return p } })
  if (parts.length === 0) return { page: 'home' }
  if (parts[0] === 'login' && parts.length === 1) return { page: 'login' }
  if (parts[0] === 't' && parts[1] && parts[2] === 'agents' && parts[3] && parts.length === 4) return { page: 'agent', tenant: parts[1], agent: parts[3], filters: {} }
  if (parts[0] === 't' && parts[1] && parts.length <= 3) {
    const page = (parts[2] ?? 'overview') as Page
    if (!PAGES.includes(page)) return { page: 'not-found' }
    const filters: Filters = {}
    for (const f of FILTERS) { const v = url.searchParams.get(f); if (v) filters[f] = v }
    return { page, tenant: parts[1], filters, finding: url.searchParams.get('finding') ?? undefined }
  }
  return { page: 'not-found' }
}

export function pathFor(tenant: string, page: Page, filters: Filters = {}, finding?: string): string {
  const p = new URLSearchParams()
  for (const f of FILTERS) if (filters[f]) p.set(f, filters[f]!)
  if (finding) p.set('finding', finding)
  const q = p.toString()
  return `/t/${encodeURIComponent(tenant)}/${page}${q ? `?${q}` : ''}`
}

export function agentPath(tenant: string, agent: string): string {
  return `/t/${encodeURIComponent(tenant)}/agents/${encodeURIComponent(agent)}`
}

export const NAVIGATE = 'zt-navigate'
/** Moves to a path in the app: `replace` for changes that should not each make a history entry (typing a filter). */
export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', path)
  else history.pushState(null, '', path)
  window.dispatchEvent(new Event(NAVIGATE))
}
