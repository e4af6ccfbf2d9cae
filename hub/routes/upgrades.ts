// Upgrade advice for a tenant: per package, the version that clears the most open
// vulnerability findings, over how many agents ("upgrade X to Y clears N findings on M agents").
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { TenantState } from '../hub.ts'
import { upgradeAdvice, type AdviceFinding, type UpgradeAdvice } from '../enrich/index.ts'

/** Open vulnerability findings read for the advice at most (the riskiest first). */
export const MAX_ADVICE_FINDINGS = 200_000
/** While the index keeps changing, advice this fresh is served again rather than recomputed. */
export const ADVICE_MAX_AGE_MS = 5_000

interface Advice { version: number, at: number, upgrades: UpgradeAdvice[], truncated: boolean }

export function upgradeRoutes(routes: Routes, tenantOf: (name: string) => TenantState): void {
  const cache = new Map<string, Advice>()
  routes.add('GET', '/tenants/:tenant/upgrades', { kind: 'tenant', role: 'viewer' }, 'upgrades that clear the most open findings, per package (limit=1..100, default 20)', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const limit = Number(c.req.query('limit') ?? '20')
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) apiError(400, 'bad-request', 'limit must be 1 to 100')
    // Reading every open finding is the cost: an overview refreshing on each live change would
    // repeat it; the advice is computed once per index version, at most every ADVICE_MAX_AGE_MS.
    const held = cache.get(t.tenant)
    if (held && (held.version === t.findings.version || Date.now() - held.at < ADVICE_MAX_AGE_MS)) {
      return c.json({ upgrades: held.upgrades.slice(0, limit), truncated: held.truncated })
    }
    const version = t.findings.version
    const findings: AdviceFinding[] = []
    let cursor: string | undefined
    let read = 0
    do {
      const page = await t.findings.query({ filters: { kind: 'vuln', status: 'open' }, limit: 500, cursor })
      for (const f of page.findings) {
        if (f.ecosystem && f.package && f.version && f.fixedIn?.length && f.triage !== 'false-positive' && f.triage !== 'risk-accepted') {
          findings.push({ agent: f.agent, ecosystem: f.ecosystem, package: f.package, version: f.version, fixedIn: f.fixedIn, id: f.id, risk: f.risk })
        }
      }
      read += page.findings.length
      cursor = page.next
    } while (cursor && read < MAX_ADVICE_FINDINGS)
    const advice: Advice = { version, at: Date.now(), upgrades: upgradeAdvice(findings).slice(0, 100), truncated: cursor !== undefined }
    cache.set(t.tenant, advice)
    return c.json({ upgrades: advice.upgrades.slice(0, limit), truncated: advice.truncated })
  })
}
