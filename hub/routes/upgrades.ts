// Upgrade advice for a tenant: per package, the version that clears the most open
// vulnerability findings, over how many agents ("upgrade X to Y clears N findings on M agents").
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { TenantState } from '../hub.ts'
import { upgradeAdvice, type AdviceFinding } from '../enrich/index.ts'

/** Open vulnerability findings read for the advice at most (the riskiest first). */
export const MAX_ADVICE_FINDINGS = 200_000

export function upgradeRoutes(routes: Routes, tenantOf: (name: string) => TenantState): void {
  routes.add('GET', '/tenants/:tenant/upgrades', { kind: 'tenant', role: 'viewer' }, 'upgrades that clear the most open findings, per package (limit=1..100, default 20)', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const limit = Number(c.req.query('limit') ?? '20')
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) apiError(400, 'bad-request', 'limit must be 1 to 100')
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
    return c.json({ upgrades: upgradeAdvice(findings).slice(0, limit), truncated: cursor !== undefined })
  })
}
