// Scan results as SARIF 2.1.0, the format code-scanning services ingest.
import type * as Sarif from 'sarif'
import type { Finding, Severity } from '../crdt/index.ts'
import type { ReportInput } from './input.ts'
import { TOOL } from './tool.ts'

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  critical: 'error', high: 'error', medium: 'warning', low: 'note', unknown: 'warning',
}

/** GitHub's convention: a numeric `security-severity` drives the severity shown. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', unknown: '5.0' }

function message(f: Finding): string {
  if (f.kind === 'vuln') {
    const fix = f.fixedIn?.length ? ` Fixed in ${f.fixedIn.join(', ')}.` : ''
    return `${f.package}@${f.version} (${f.ecosystem}) is affected by ${f.aliases?.join(', ') ?? f.rule}${f.title ? `: ${f.title}` : ''}.${fix}`
  }
  return `${f.title ?? f.rule}${f.evidence ? ` (${f.evidence})` : ''}`
}

export function toSarif(result: ReportInput): Sarif.Log {
  const rules = new Map<string, Sarif.ReportingDescriptor>()
  for (const f of result.findings) {
    if (rules.has(f.rule)) continue
    rules.set(f.rule, {
      id: f.rule,
      shortDescription: { text: f.title ?? f.rule },
      ...(f.kind === 'vuln' ? { helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(f.rule)}` } : {}),
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: {
        tags: ['security', f.kind],
        'security-severity': f.score !== undefined ? f.score.toFixed(1) : SECURITY_SEVERITY[f.severity],
      },
    })
  }
  const ruleIndex = new Map([...rules.keys()].map((id, i) => [id, i]))
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: TOOL.name, version: TOOL.version, informationUri: TOOL.uri, rules: [...rules.values()] } },
      results: result.findings.map((f): Sarif.Result => ({
        ruleId: f.rule,
        ruleIndex: ruleIndex.get(f.rule)!,
        level: LEVEL[f.severity],
        message: { text: message(f) },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: f.path },
            ...(f.line ? { region: { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}) } } : {}),
          },
        }],
        partialFingerprints: { 'zerotrace/v1': f.id },
      })),
    }],
  }
}
