// Upgrade advice for a tenant: per package, the version that clears the most open
// vulnerability findings, over how many agents ("upgrade X to Y clears N findings on M agents").
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { TenantState } from '../hub.ts'
import { upgradeAdvice, type AdviceFinding, type UpgradeAdvice } from '../enrich/index.ts'

/** Open vulnerability findings read for the advice at most (the riskiest first). */
export const MAX_ADVICE_FINDINGS = 200_000
/** While the index keeps changing, advice this fresh is served again rather than recomputed. */
const ADVICE_MAX_AGE_MS = 5_000

interface Result { upgrades: UpgradeAdvice[], truncated: boolean }
/** Advice for one index version; `at` is set once it is built: until then, callers share the build. */
interface Advice { version: number, at: number | undefined, result: Promise<Result> }

/** Reads the open vulnerability findings (the riskiest first, at most MAX_ADVICE_FINDINGS) and ranks upgrades. */
async function adviceOf(t: TenantState): Promise<Result> {
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
  return { upgrades: upgradeAdvice(findings).slice(0, 100), truncated: cursor !== undefined }
}

export function upgradeRoutes(routes: Routes, tenantOf: (name: string) => TenantState): void {
  const cache = new Map<string, Advice>()
  routes.add('GET', '/tenants/:tenant/upgrades', { kind: 'tenant', role: 'viewer' }, 'upgrades that clear the most open findings, per package (limit=1..100, default 20)', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const limit = Number(c.req.query('limit') ?? '20')
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) apiError(400, 'bad-request', 'limit must be 1 to 100')
    // Reading every open finding is the cost: every open overview refetches on the same live
    // change, so the advice is built once per index version (at most every ADVICE_MAX_AGE_MS),
    // and requests that come while it is being built wait for that build.
    let held = cache.get(t.tenant)
    if (!held || (held.at !== undefined && held.version !== t.findings.version && Date.now() - held.at >= ADVICE_MAX_AGE_MS)) {
      const advice: Advice = { version: t.findings.version, at: undefined, result: adviceOf(t) }
      advice.result.then(() => { advice.at = Date.now() }, () => { if (cache.get(t.tenant) === advice) cache.delete(t.tenant) })
      cache.set(t.tenant, held = advice)
    }
    const { upgrades, truncated } = await held.result
    return c.json({ upgrades: upgrades.slice(0, limit), truncated })
  })
}
