// Scan results as a CycloneDX 1.6 JSON SBOM: one component per distinct package, and the
// vulnerabilities found, each pointing at the components it affects.
import { randomUUID } from 'node:crypto'
import type { Severity, TriageStatus } from '../crdt/index.ts'
import type { Package } from '../protocol/index.ts'
import type { ReportFinding, ReportInput } from './input.ts'
import { TOOL } from './tool.ts'

function refOf(p: Pick<Package, 'ecosystem' | 'name' | 'version' | 'purl'>): string {
  return p.purl ?? `${p.ecosystem}:${p.name}@${p.version}`
}

function nameParts(p: Package): { group?: string, name: string } {
  const sep = p.ecosystem === 'Maven' ? p.name.indexOf(':') : p.name.startsWith('@') ? p.name.indexOf('/') : -1
  return sep > 0 ? { group: p.name.slice(0, sep), name: p.name.slice(sep + 1) } : { name: p.name }
}

/** Triage as CycloneDX VEX analysis (1.6 `impactAnalysisState` and `response`). */
const ANALYSIS: Partial<Record<TriageStatus, { state: string, response?: string[] }>> = {
  acknowledged: { state: 'in_triage' },
  'false-positive': { state: 'false_positive' },
  'risk-accepted': { state: 'exploitable', response: ['will_not_fix'] },
  fixed: { state: 'resolved', response: ['update'] },
}

/** OpenVEX justifications as CycloneDX 1.6 `impactAnalysisJustification` (the nearest each has). */
const JUSTIFICATION: Record<string, string> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
}

function analysisOf(all: ReportFinding[]): Record<string, unknown> | undefined {
  // Suppressed everywhere it was found: VEX not_affected with the statement's justification.
  const suppressed = all.filter((f) => f.suppressed)
  if (suppressed.length === all.length && suppressed.length > 0) {
    const s = suppressed[0]!.suppressed!
    const detail = [...new Set(suppressed.map((f) => f.suppressed!.impactStatement ?? f.suppressed!.justification).filter((d): d is string => !!d))]
    return { state: 'not_affected', ...(s.justification && JUSTIFICATION[s.justification] ? { justification: JUSTIFICATION[s.justification] } : {}), ...(detail.length ? { detail: detail.join('; ') } : {}) }
  }
  const findings = all.filter((f) => !f.suppressed)
  const statuses = new Set(findings.map((f) => f.triage ?? 'open'))
  if (statuses.size !== 1) return { state: 'in_triage', detail: 'triaged differently where it was found' }
  const a = ANALYSIS[[...statuses][0]!]
  if (!a) return undefined
  const reasons = [...new Set(findings.map((f) => f.triageReason).filter((r): r is string => !!r))]
  return { state: a.state, ...(a.response ? { response: a.response } : {}), ...(reasons.length ? { detail: reasons.join('; ') } : {}) }
}

const CDX_SEVERITY: Record<Severity, string> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', unknown: 'unknown' }

function advisoryUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`
}

export function toCycloneDx(result: ReportInput, now = new Date()): Record<string, unknown> {
  const components = new Map<string, Record<string, unknown>>()
  const refByKey = new Map<string, string>()
  for (const p of result.packages) {
    const ref = refOf(p)
    refByKey.set(`${p.ecosystem}\0${p.name}\0${p.version}`, ref)
    const existing = components.get(ref)
    if (existing) {
      const props = existing.properties as { name: string, value: string }[]
      if (!props.some((x) => x.value === p.source)) props.push({ name: 'zerotrace:source', value: p.source })
      continue
    }
    components.set(ref, {
      type: 'library', 'bom-ref': ref, ...nameParts(p), version: p.version,
      ...(p.purl ? { purl: p.purl } : {}),
      ...(p.groups?.includes('dev') ? { scope: 'optional' } : {}),
      properties: [{ name: 'zerotrace:ecosystem', value: p.ecosystem }, { name: 'zerotrace:source', value: p.source }],
    })
  }
  // One vulnerability entry per advisory group, affecting every component it was found in.
  const vulns = new Map<string, { finding: ReportFinding, refs: Set<string>, all: ReportFinding[] }>()
  for (const f of result.findings) {
    if (f.kind !== 'vuln' || !f.package || !f.version || !f.ecosystem) continue
    const ref = refByKey.get(`${f.ecosystem}\0${f.package}\0${f.version}`) ?? refOf({ ecosystem: f.ecosystem, name: f.package, version: f.version })
    const v = vulns.get(f.rule) ?? { finding: f, refs: new Set<string>(), all: [] }
    v.refs.add(ref)
    v.all.push(f)
    vulns.set(f.rule, v)
  }
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: 'application', name: TOOL.name, version: TOOL.version }] },
    },
    components: [...components.values()],
    vulnerabilities: [...vulns.values()].map(({ finding: f, refs, all }) => ({
      'bom-ref': `vuln:${f.rule}`,
      id: f.rule,
      source: { name: 'OSV', url: advisoryUrl(f.rule) },
      ...(f.aliases && f.aliases.length > 1 ? { references: f.aliases.filter((a) => a !== f.rule).map((id) => ({ id, source: { name: 'OSV', url: advisoryUrl(id) } })) } : {}),
      ratings: [{ ...(f.score !== undefined ? { score: f.score } : {}), severity: CDX_SEVERITY[f.severity], method: 'other' }],
      ...(f.title ? { description: f.title } : {}),
      ...(f.fixedIn?.length ? { recommendation: `Upgrade to ${f.fixedIn.join(' or ')}` } : {}),
      ...(analysisOf(all) ? { analysis: analysisOf(all) } : {}),
      affects: [...refs].map((ref) => ({ ref })),
    })),
  }
}
