// A CVSS vector (v3.0, v3.1 or v4.0) broken into its metrics with the names people read:
// `AV:N` is "Attack vector: Network". Scoring stays on the hub (advisories/cvss): the UI
// only labels what the vector states, so an unknown metric or value is shown as written.

export interface CvssMetric {
  /** As in the vector: `AV`. */
  key: string
  value: string
  name: string
  /** The value's name, or the value itself when it is not one the version defines. */
  label: string
  group: 'base' | 'threat' | 'temporal' | 'environmental' | 'supplemental'
}

export interface CvssBreakdown { version: string, metrics: CvssMetric[] }

type Table = Record<string, [name: string, values: Record<string, string>]>

const CIA = { H: 'High', L: 'Low', N: 'None' }
const REQ = { X: 'Not defined', H: 'High', M: 'Medium', L: 'Low' }
const AV = { N: 'Network', A: 'Adjacent', L: 'Local', P: 'Physical' }
const LH = { L: 'Low', H: 'High' }
const NLH = { N: 'None', L: 'Low', H: 'High' }

const V3_BASE: Table = {
  AV: ['Attack vector', AV], AC: ['Attack complexity', LH], PR: ['Privileges required', NLH],
  UI: ['User interaction', { N: 'None', R: 'Required' }], S: ['Scope', { U: 'Unchanged', C: 'Changed' }],
  C: ['Confidentiality', CIA], I: ['Integrity', CIA], A: ['Availability', CIA],
}
const V3_TEMPORAL: Table = {
  E: ['Exploit code maturity', { X: 'Not defined', H: 'High', F: 'Functional', P: 'Proof of concept', U: 'Unproven' }],
  RL: ['Remediation level', { X: 'Not defined', U: 'Unavailable', W: 'Workaround', T: 'Temporary fix', O: 'Official fix' }],
  RC: ['Report confidence', { X: 'Not defined', C: 'Confirmed', R: 'Reasonable', U: 'Unknown' }],
}
const V4_BASE: Table = {
  AV: ['Attack vector', AV], AC: ['Attack complexity', LH], AT: ['Attack requirements', { N: 'None', P: 'Present' }],
  PR: ['Privileges required', NLH], UI: ['User interaction', { N: 'None', P: 'Passive', A: 'Active' }],
  VC: ['Vulnerable system confidentiality', CIA], VI: ['Vulnerable system integrity', CIA], VA: ['Vulnerable system availability', CIA],
  SC: ['Subsequent system confidentiality', CIA], SI: ['Subsequent system integrity', CIA], SA: ['Subsequent system availability', CIA],
}
const V4_THREAT: Table = { E: ['Exploit maturity', { X: 'Not defined', A: 'Attacked', P: 'Proof of concept', U: 'Unreported' }] }
const V4_SUPPLEMENTAL: Table = {
  S: ['Safety', { X: 'Not defined', N: 'Negligible', P: 'Present' }], AU: ['Automatable', { X: 'Not defined', N: 'No', Y: 'Yes' }],
  R: ['Recovery', { X: 'Not defined', A: 'Automatic', U: 'User', I: 'Irrecoverable' }],
  V: ['Value density', { X: 'Not defined', D: 'Diffuse', C: 'Concentrated' }],
  RE: ['Vulnerability response effort', { X: 'Not defined', L: 'Low', M: 'Moderate', H: 'High' }],
  U: ['Provider urgency', { X: 'Not defined', Clear: 'Clear', Green: 'Green', Amber: 'Amber', Red: 'Red' }],
}
const REQUIREMENTS: Table = { CR: ['Confidentiality requirement', REQ], IR: ['Integrity requirement', REQ], AR: ['Availability requirement', REQ] }

/** Environmental `M…` metrics are the base metric modified: named after it. */
function modified(base: Table, extra: Record<string, string> = {}): Table {
  return Object.fromEntries(Object.entries(base).map(([k, [name, values]]) => [`M${k}`, [`Modified ${name.toLowerCase()}`, { X: 'Not defined', ...values, ...(k === 'SI' || k === 'SA' ? extra : {}) }]]))
}

const TABLES: Record<'3' | '4', [Table, CvssMetric['group']][]> = {
  3: [[V3_BASE, 'base'], [V3_TEMPORAL, 'temporal'], [{ ...REQUIREMENTS, ...modified(V3_BASE) }, 'environmental']],
  4: [[V4_BASE, 'base'], [V4_THREAT, 'threat'], [{ ...REQUIREMENTS, ...modified(V4_BASE, { S: 'Safety' }) }, 'environmental'], [V4_SUPPLEMENTAL, 'supplemental']],
}

/** The vector's metrics in its order, labelled; undefined when it is not a CVSS 3.x/4.0 vector. */
export function cvssBreakdown(vector: string): CvssBreakdown | undefined {
  const [head, ...parts] = vector.trim().split('/')
  const version = /^CVSS:(3\.[01]|4\.0)$/.exec(head ?? '')?.[1]
  if (!version || parts.length === 0) return undefined
  const tables = TABLES[version[0] as '3' | '4']
  const metrics: CvssMetric[] = []
  for (const part of parts) {
    const [key, value, ...rest] = part.split(':')
    if (!key || value === undefined || rest.length > 0) return undefined
    const hit = tables.find(([t]) => t[key])
    const [name, values] = hit ? hit[0][key]! : [key, {} as Record<string, string>]
    metrics.push({ key, value, name, label: values[value] ?? value, group: hit?.[1] ?? 'base' })
  }
  return { version, metrics }
}
