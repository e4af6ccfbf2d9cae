// Reports of a tenant's findings, with the same filters as the listing: JSON, CSV, SARIF
// 2.1.0, CycloneDX 1.6 with triage and suppressions as VEX analysis, and a printable HTML page.
// Suppressed findings are left out of the others unless the filter asks for them.
import { purlOf, type Package } from '../../protocol/index.ts'
import { toCsv, toCycloneDx, toHtml, toSarif } from '../../report/index.ts'
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { TenantState } from '../hub.ts'
import type { FindingRow } from '../index/findings-index.ts'
import { parseFindingQuery } from './findings.ts'

/** Most findings one report holds (narrow it with filters beyond that). */
export const MAX_REPORT_FINDINGS = 200_000
const FORMATS = { json: 'application/json', csv: 'text/csv; charset=utf-8', sarif: 'application/sarif+json', cyclonedx: 'application/vnd.cyclonedx+json', html: 'text/html; charset=utf-8' } as const
type Format = keyof typeof FORMATS
const EXT: Record<Format, string> = { json: 'json', csv: 'csv', sarif: 'sarif', cyclonedx: 'cdx.json', html: 'html' }

export function reportRoutes(routes: Routes, tenantOf: (name: string) => TenantState): void {
  routes.add('GET', '/tenants/:tenant/reports/:format', { kind: 'tenant', role: 'viewer' }, 'findings as json, csv, sarif, cyclonedx (VEX) or html, with the listing\'s filters', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const format = c.req.param('format') as Format
    if (!(format in FORMATS)) apiError(400, 'bad-request', `format must be one of ${Object.keys(FORMATS).join(', ')}`)
    const { cursor: _, limit: __, ...params } = c.req.query()
    const query = parseFindingQuery(params)
    const findings: FindingRow[] = []
    // Suppressed findings are left out, except from CycloneDX, which states them as VEX not_affected.
    const queries = format === 'cyclonedx' && query.filters.status === 'open' ? [query, { ...query, filters: { ...query.filters, status: 'suppressed' } }] : [query]
    for (const q of queries) {
      let cursor: string | undefined
      do {
        const page = await t.findings.query({ ...q, limit: 500, cursor })
        findings.push(...page.findings)
        cursor = page.next
        if (findings.length > MAX_REPORT_FINDINGS) apiError(413, 'too-large', `more than ${MAX_REPORT_FINDINGS} findings: narrow the report with filters`)
      } while (cursor)
    }
    const now = new Date()
    const title = `ZeroTrace findings: ${t.tenant}`
    let body: string
    if (format === 'json') body = JSON.stringify({ tenant: t.tenant, generatedAt: now.toISOString(), filters: query.filters, findings })
    else if (format === 'csv') body = toCsv(findings)
    else if (format === 'sarif') body = JSON.stringify(toSarif({ packages: [], findings }))
    else if (format === 'cyclonedx') body = JSON.stringify(toCycloneDx({ packages: packagesOf(findings), findings }, now))
    else body = toHtml(title, findings, now)
    const name = `zerotrace-${t.tenant}-${now.toISOString().slice(0, 10)}.${EXT[format]}`
    return c.body(body, 200, { 'content-type': FORMATS[format], 'content-disposition': `attachment; filename="${name}"` })
  })
}

/** The components a CycloneDX report names: each vulnerable package, once. */
function packagesOf(findings: FindingRow[]): Package[] {
  const out = new Map<string, Package>()
  for (const f of findings) {
    if (f.kind !== 'vuln' || !f.ecosystem || !f.package || !f.version) continue
    const key = `${f.ecosystem}\0${f.package}\0${f.version}`
    if (!out.has(key)) out.set(key, { ecosystem: f.ecosystem, name: f.package, version: f.version, purl: purlOf(f.ecosystem, f.package, f.version), source: f.path })
  }
  return [...out.values()]
}
