// OSV records (schema 1.x), validated into typed values: what matching and display need.
import { AdvisoryError } from './errors.ts'

export type RangeEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string }

export interface OsvRange { type: 'SEMVER' | 'ECOSYSTEM' | 'GIT', repo?: string, events: RangeEvent[] }

export interface OsvAffected {
  package?: { ecosystem: string, name: string, purl?: string }
  ranges: OsvRange[]
  versions: string[]
  severity?: OsvSeverity[]
  ecosystem_specific?: Record<string, unknown>
  database_specific?: Record<string, unknown>
}

export interface OsvSeverity { type: string, score: string }

export interface OsvRecord {
  id: string
  modified: string
  published?: string
  withdrawn?: string
  aliases: string[]
  related?: string[]
  summary?: string
  details?: string
  severity: OsvSeverity[]
  affected: OsvAffected[]
  references: { type: string, url: string }[]
  database_specific?: Record<string, unknown>
}

const LIMITS = { id: 200, text: 100_000, list: 100_000 }

function fail(id: string, field: string, why: string): AdvisoryError {
  return new AdvisoryError('bad-record', `${id || 'record'}: ${field} ${why}`)
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function optStr(v: unknown, id: string, field: string, max = LIMITS.text): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || v.length > max) throw fail(id, field, 'must be a string')
  return v
}

function strList(v: unknown, id: string, field: string): string[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v) || v.length > LIMITS.list || !v.every((x) => typeof x === 'string')) throw fail(id, field, 'must be a list of strings')
  return v as string[]
}

function severities(v: unknown, id: string, field: string): OsvSeverity[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw fail(id, field, 'must be a list')
  return v.filter(isMap).filter((s) => typeof s.type === 'string' && typeof s.score === 'string').map((s) => ({ type: s.type as string, score: s.score as string }))
}

function range(v: unknown, id: string): OsvRange {
  if (!isMap(v)) throw fail(id, 'ranges[]', 'must be a map')
  if (v.type !== 'SEMVER' && v.type !== 'ECOSYSTEM' && v.type !== 'GIT') throw fail(id, 'ranges[].type', `unknown type ${String(v.type)}`)
  if (!Array.isArray(v.events)) throw fail(id, 'ranges[].events', 'must be a list')
  const events = v.events.map((e): RangeEvent => {
    if (!isMap(e)) throw fail(id, 'events[]', 'must be a map')
    for (const k of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
      if (typeof e[k] === 'string') return { [k]: e[k] } as RangeEvent
    }
    throw fail(id, 'events[]', 'has no introduced, fixed, last_affected or limit')
  })
  return { type: v.type, ...(typeof v.repo === 'string' ? { repo: v.repo } : {}), events }
}

export function parseOsvRecord(json: unknown): OsvRecord {
  if (!isMap(json)) throw new AdvisoryError('bad-record', 'an OSV record is a JSON object')
  const id = optStr(json.id, '', 'id', LIMITS.id)
  if (!id) throw fail('', 'id', 'is required')
  const modified = optStr(json.modified, id, 'modified', 64)
  if (!modified) throw fail(id, 'modified', 'is required')
  const affected = (Array.isArray(json.affected) ? json.affected : []).map((a): OsvAffected => {
    if (!isMap(a)) throw fail(id, 'affected[]', 'must be a map')
    const pkg = isMap(a.package) && typeof a.package.ecosystem === 'string' && typeof a.package.name === 'string'
      ? { ecosystem: a.package.ecosystem, name: a.package.name, ...(typeof a.package.purl === 'string' ? { purl: a.package.purl } : {}) }
      : undefined
    return {
      ...(pkg ? { package: pkg } : {}),
      ranges: (Array.isArray(a.ranges) ? a.ranges : []).map((r) => range(r, id)),
      versions: strList(a.versions, id, 'affected[].versions'),
      ...(a.severity ? { severity: severities(a.severity, id, 'affected[].severity') } : {}),
      ...(isMap(a.ecosystem_specific) ? { ecosystem_specific: a.ecosystem_specific } : {}),
      ...(isMap(a.database_specific) ? { database_specific: a.database_specific } : {}),
    }
  })
  return {
    id, modified,
    ...(optStr(json.published, id, 'published', 64) ? { published: json.published as string } : {}),
    ...(optStr(json.withdrawn, id, 'withdrawn', 64) ? { withdrawn: json.withdrawn as string } : {}),
    aliases: strList(json.aliases, id, 'aliases'),
    ...(json.related ? { related: strList(json.related, id, 'related') } : {}),
    ...(optStr(json.summary, id, 'summary') ? { summary: json.summary as string } : {}),
    ...(optStr(json.details, id, 'details') ? { details: json.details as string } : {}),
    severity: severities(json.severity, id, 'severity'),
    affected,
    references: (Array.isArray(json.references) ? json.references : []).filter(isMap)
      .filter((r) => typeof r.url === 'string').map((r) => ({ type: String(r.type ?? 'WEB'), url: r.url as string })),
    ...(isMap(json.database_specific) ? { database_specific: json.database_specific } : {}),
  }
}
