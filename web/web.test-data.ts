// Test support for the element tests (happy-dom): findings, a fake Api that records calls,
// and mounting an element and waiting for it to render.
import type { Api } from './api/client.ts'
import { ApiError } from './api/errors.ts'
import type { LiveChange, LiveSync } from './live/live-sync.ts'
import type { CertificateView, FindingDetail, FindingRow, HubAgent, InventoryPackage, Member, Summary, TokenView, TrendDay, Upgrade } from './api/types.ts'

export const XSS = '<img src=x onerror=alert(1)>'

export function row(i: number, over: Partial<FindingRow> = {}): FindingRow {
  return {
    id: i.toString(16).padStart(32, '0'), agent: '12D3KooWAgent' + 'x'.repeat(40), kind: 'vuln', rule: `GHSA-${i}`, severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4],
    title: `Finding ${i}`, ecosystem: 'npm', package: 'lodash', version: '4.17.20', fixedIn: ['4.17.21'], path: 'package-lock.json', firstSeen: 1_700_000_000_000,
    status: 'open', triage: 'open', risk: 90 - (i % 50), ...over,
  } as FindingRow
}

export function detailOf(r: FindingRow, over: Partial<FindingDetail> = {}): FindingDetail {
  return { finding: r, affected: [], history: [{ seq: 1, author: r.agent, ts: 1_700_000_000_000, kind: 'update' }], triage: null, comments: [], ...over }
}

export const SUMMARY: Summary = {
  counts: { severity: { critical: 3, high: 5, low: 1 }, kind: { vuln: 7, secret: 2 }, status: {}, triage: {}, agent: {}, ecosystem: { npm: 9 }, package: { lodash: 4, axios: 2 }, rule: {}, kev: { true: 2 } },
  agents: { total: 3, online: 2, stale: 1, revoked: 1 },
}

export type Call = [string, ...unknown[]]

/** An Api whose answers are given, every call recorded in `calls`. */
export function fakeApi(data: {
  rows?: FindingRow[], agents?: HubAgent[], summary?: Summary, trend?: TrendDay[], upgrades?: Upgrade[], pageSize?: number,
  packages?: InventoryPackage[], certificates?: CertificateView[], members?: Member[], tokens?: TokenView[],
} = {}): Api & { calls: Call[] } {
  const calls: Call[] = []
  const rows = data.rows ?? []
  const page = <T>(all: T[], p: { limit: number, cursor?: string }) => {
    const start = p.cursor ? Number(p.cursor) : 0
    const size = Math.min(p.limit, data.pageSize ?? p.limit)
    return { items: all.slice(start, start + size), next: start + size < all.length ? String(start + size) : null }
  }
  return {
    calls,
    async tenants() { calls.push(['tenants']); return [{ tenant: 'acme', role: 'admin', open: {} }] },
    async summary(t) { calls.push(['summary', t]); return data.summary ?? SUMMARY },
    async trends(t, days) { calls.push(['trends', t, days]); return data.trend ?? [] },
    async upgrades(t, limit) { calls.push(['upgrades', t, limit]); return (data.upgrades ?? []).slice(0, limit) },
    async findings(t, filters, p) {
      calls.push(['findings', t, filters, p])
      const { items, next } = page(rows.filter((r) => !filters.agent || r.agent === filters.agent), p)
      return { findings: items, next, ...(p.facets ? { counts: SUMMARY.counts } : {}) }
    },
    async finding(t, id) { calls.push(['finding', t, id]); return detailOf(rows.find((r) => r.id === id) ?? row(0)) },
    async triage(t, id, body) { calls.push(['triage', t, id, body]) },
    async comment(t, id, text) { calls.push(['comment', t, id, text]) },
    async agents(t) { calls.push(['agents', t]); return data.agents ?? [] },
    async revoke(t, id, reason) { calls.push(['revoke', t, id, reason]) },
    async report(t, format, filters) { calls.push(['report', t, format, filters]); return { blob: new Blob(['x']), filename: `r.${format}` } },
    async agent(t, id) {
      calls.push(['agent', t, id])
      const agent = (data.agents ?? []).find((a) => a.id === id)
      if (!agent) throw new ApiError(404, 'not-found', 'no such agent')
      const ecosystems: Record<string, number> = {}
      for (const p of data.packages ?? []) ecosystems[p.ecosystem] = (ecosystems[p.ecosystem] ?? 0) + 1
      return { agent, inventory: { packages: data.packages?.length ?? 0, ecosystems } }
    },
    async inventory(t, id, p) { calls.push(['inventory', t, id, p]); const { items, next } = page(data.packages ?? [], p); return { packages: items, next } },
    async certificates(t) { calls.push(['certificates', t]); return { certificates: data.certificates ?? [], revocationList: { version: 3, entries: 1 } } },
    async signAgent(t, body) {
      calls.push(['signAgent', t, body])
      const certificate = { serial: 42, subject: body.agent, name: body.name, roles: body.roles, notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2026-04-01T00:00:00.000Z', revoked: false }
      return { certificate, armored: `-----BEGIN ZEROTRACE CERTIFICATE-----\nQUJD\n-----END ZEROTRACE CERTIFICATE-----\n` }
    },
    async members(t) { calls.push(['members', t]); return data.members ?? [] },
    async tokens() { calls.push(['tokens']); return data.tokens ?? [] },
    async createToken(name) { calls.push(['createToken', name]); return { id: 'feedface', name, owner: 'ada', created: '2026-01-01T00:00:00.000Z', lastUsed: null, token: 'ztk_secret-shown-once' } },
    async revokeToken(id) { calls.push(['revokeToken', id]) },
  }
}

/** Appends an element to the document and waits for its first render (and the fetches it starts). */
export async function mount<E extends HTMLElement & { updateComplete: Promise<boolean> }>(el: E): Promise<E> {
  document.body.append(el)
  await el.updateComplete
  await settle(el)
  return el
}

export async function settle(el: { updateComplete: Promise<boolean> }): Promise<void> {
  for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 0)); await el.updateComplete }
}

export const shadow = (el: Element) => el.shadowRoot!

/** A LiveSync stand-in: the test fires changes. */
export function fakeLive(): LiveSync & { fire(c: LiveChange): void } {
  const fns = new Set<(c: LiveChange) => void>()
  return { agents: new Map(), tenant: 'acme', state: 'live', on: (fn: (c: LiveChange) => void) => { fns.add(fn); return () => fns.delete(fn) }, fire: (c: LiveChange) => { for (const fn of fns) fn(c) } } as unknown as LiveSync & { fire(c: LiveChange): void }
}

