// Suppressions as VEX statements, read from and written as OpenVEX
// (https://github.com/openvex/spec, v0.2.0; v0.0.x string forms accepted). A statement
// names a vulnerability (and aliases), the products it is about, and a status; only
// `not_affected` (with a justification or an impact statement) suppresses. Products are
// package URLs, or ZeroTrace's URNs `urn:zerotrace:agent:<agent id>` (with optional purl
// subcomponents) and `urn:zerotrace:finding:<finding id>`. Expiry is ZeroTrace's
// extension field `zerotrace:expires` (RFC 3339) on a statement, which other OpenVEX tools
// ignore. Untrusted input: size-bounded, validated into typed values, bad statements named.
import { createHash } from 'node:crypto'
import { ENRICH_DEFAULTS } from './constants.ts'
import { EnrichError } from './errors.ts'

export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const
export type VexStatus = typeof VEX_STATUSES[number]

export const VEX_JUSTIFICATIONS = [
  'component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist',
] as const
export type VexJustification = typeof VEX_JUSTIFICATIONS[number]

/** The extension field holding a statement's expiry. */
export const EXPIRES_FIELD = 'zerotrace:expires'
export const AGENT_URN = 'urn:zerotrace:agent:'
export const FINDING_URN = 'urn:zerotrace:finding:'

export interface VexProduct {
  /** `@id`: a purl, a ZeroTrace URN, or another IRI. */
  id: string
  purl?: string
  subcomponents?: VexProduct[]
}

export interface VexStatement {
  id: string
  /** Vulnerability name (CVE, GHSA, … or a rule id), as given. */
  vulnerability: string
  aliases: string[]
  /** Empty: every product. */
  products: VexProduct[]
  status: VexStatus
  justification?: VexJustification
  impactStatement?: string
  statusNotes?: string
  /** RFC 3339; the statement's own or its document's. */
  timestamp?: string
  /** RFC 3339: it stops applying then. */
  expires?: string
  author?: string
  /** The document's `@id`. */
  document?: string
}

export interface VexParseResult {
  statements: VexStatement[]
  errors: { where: string, message: string }[]
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined)
const isTime = (v: string) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))

function product(v: unknown, where: string, depth = 0): VexProduct {
  if (typeof v === 'string' && v.trim() !== '') return { id: v.trim(), ...(v.startsWith('pkg:') ? { purl: v.trim() } : {}) }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where}: a product is an object with "@id"`)
  const o = v as Record<string, unknown>
  const ids = o.identifiers as Record<string, unknown> | undefined
  const purl = str(ids?.purl) ?? (str(o['@id'])?.startsWith('pkg:') ? str(o['@id']) : undefined)
  const id = str(o['@id']) ?? purl
  if (id === undefined) throw new Error(`${where}: a product needs "@id" or identifiers.purl`)
  let subcomponents: VexProduct[] | undefined
  if (o.subcomponents !== undefined) {
    if (!Array.isArray(o.subcomponents) || depth > 0) throw new Error(`${where}: subcomponents is a list of products`)
    subcomponents = o.subcomponents.map((s, i) => product(s, `${where}.subcomponents[${i}]`, depth + 1))
  }
  return { id, ...(purl ? { purl } : {}), ...(subcomponents && subcomponents.length > 0 ? { subcomponents } : {}) }
}

/** One statement, validated; throws with a message naming what is wrong. */
export function parseVexStatement(v: unknown, where: string, doc: { id?: string, timestamp?: string, author?: string } = {}): VexStatement {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where}: not an object`)
  const o = v as Record<string, unknown>
  const vuln = typeof o.vulnerability === 'string' ? { name: o.vulnerability } : o.vulnerability as Record<string, unknown> | undefined
  const name = str(vuln?.name) ?? str(vuln?.['@id'])
  if (name === undefined) throw new Error(`${where}: vulnerability.name is missing`)
  const aliases = Array.isArray(vuln?.aliases) ? vuln.aliases.flatMap((a) => (str(a) ? [str(a)!] : [])) : []
  const status = str(o.status) as VexStatus | undefined
  if (status === undefined || !VEX_STATUSES.includes(status)) throw new Error(`${where}: status must be one of ${VEX_STATUSES.join(', ')}`)
  const justification = str(o.justification) as VexJustification | undefined
  if (justification !== undefined && !VEX_JUSTIFICATIONS.includes(justification)) throw new Error(`${where}: unknown justification ${JSON.stringify(justification)}`)
  const impactStatement = str(o.impact_statement)
  if (status === 'not_affected' && justification === undefined && impactStatement === undefined) throw new Error(`${where}: not_affected needs a justification or an impact_statement`)
  const rawProducts = o.products ?? []
  if (!Array.isArray(rawProducts)) throw new Error(`${where}: products is a list`)
  const products = rawProducts.map((p, i) => product(p, `${where}.products[${i}]`))
  const timestamp = str(o.timestamp) ?? doc.timestamp
  if (timestamp !== undefined && !isTime(timestamp)) throw new Error(`${where}: timestamp is not RFC 3339`)
  const expires = str(o[EXPIRES_FIELD])
  if (expires !== undefined && !isTime(expires)) throw new Error(`${where}: ${EXPIRES_FIELD} is not RFC 3339`)
  const statusNotes = str(o.status_notes)
  const body = { vulnerability: name, aliases, products, status, justification, impactStatement, statusNotes, timestamp, expires }
  const id = str(o['@id']) ?? 'vex-' + createHash('sha256').update(JSON.stringify([doc.id ?? '', body])).digest('hex').slice(0, 24)
  const out: VexStatement = { id, vulnerability: name, aliases, products, status }
  if (justification) out.justification = justification
  if (impactStatement) out.impactStatement = impactStatement
  if (statusNotes) out.statusNotes = statusNotes
  if (timestamp) out.timestamp = timestamp
  if (expires) out.expires = expires
  if (doc.author) out.author = doc.author
  if (doc.id) out.document = doc.id
  return out
}

/** An OpenVEX document (parsed JSON or its text). EnrichError `bad-vex` when it is not one at all; bad statements are named. */
export function parseOpenVex(input: unknown): VexParseResult {
  let json = input
  if (typeof input === 'string') {
    if (input.length > ENRICH_DEFAULTS.maxVexBytes) throw new EnrichError('bad-vex', `an OpenVEX document is at most ${ENRICH_DEFAULTS.maxVexBytes} bytes`)
    try { json = JSON.parse(input) } catch (err) { throw new EnrichError('bad-vex', `not JSON: ${(err as Error).message}`, { cause: err }) }
  }
  const o = json as Record<string, unknown>
  if (typeof json !== 'object' || json === null || !str(o['@context'])?.startsWith('https://openvex.dev/ns') || !Array.isArray(o.statements)) {
    throw new EnrichError('bad-vex', 'not an OpenVEX document (@context https://openvex.dev/ns…, statements[])')
  }
  const docTimestamp = str(o.timestamp)
  const doc = { id: str(o['@id']), timestamp: docTimestamp && isTime(docTimestamp) ? docTimestamp : undefined, author: str(o.author) }
  const out: VexParseResult = { statements: [], errors: [] }
  o.statements.forEach((s, i) => {
    try { out.statements.push(parseVexStatement(s, `statements[${i}]`, doc)) } catch (err) { out.errors.push({ where: `statements[${i}]`, message: (err as Error).message }) }
  })
  return out
}

/** Statements as an OpenVEX v0.2.0 document (for reports and export). */
export function toOpenVex(statements: readonly VexStatement[], doc: { id: string, author: string, timestamp: string, version?: number }): object {
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0', '@id': doc.id, author: doc.author, timestamp: doc.timestamp, version: doc.version ?? 1,
    statements: statements.map((s) => ({
      '@id': s.id,
      vulnerability: { name: s.vulnerability, ...(s.aliases.length > 0 ? { aliases: s.aliases } : {}) },
      ...(s.timestamp ? { timestamp: s.timestamp } : {}),
      products: s.products.map(function out(p: VexProduct): object {
        return { '@id': p.id, ...(p.purl ? { identifiers: { purl: p.purl } } : {}), ...(p.subcomponents ? { subcomponents: p.subcomponents.map(out) } : {}) }
      }),
      status: s.status,
      ...(s.justification ? { justification: s.justification } : {}),
      ...(s.impactStatement ? { impact_statement: s.impactStatement } : {}),
      ...(s.statusNotes ? { status_notes: s.statusNotes } : {}),
      ...(s.expires ? { [EXPIRES_FIELD]: s.expires } : {}),
    })),
  }
}
