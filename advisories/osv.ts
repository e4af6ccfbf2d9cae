// OSV records (schema 1.6), validated at the boundary into typed values: what matching,
// grouping and display need. Records come from untrusted feeds and peers, so every string
// and list is bounded; a record that breaks the schema is refused whole, naming the field.
// Unknown fields are ignored, as the schema asks of consumers.
import { AdvisoryError } from './errors.ts'

export type RangeEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string }

export type RangeType = 'SEMVER' | 'ECOSYSTEM' | 'GIT'

export interface OsvRange {
  type: RangeType
  /** The repository of a GIT range's commits. */
  repo?: string
  events: RangeEvent[]
}

export interface OsvPackage { ecosystem: string, name: string, purl?: string }

export interface OsvSeverity {
  /** `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, … kept as written: new types appear. */
  type: string
  score: string
}

export interface OsvAffected {
  /** Absent only for entries that name a repository through GIT ranges alone. */
  package?: OsvPackage
  ranges: OsvRange[]
  versions: string[]
  severity?: OsvSeverity[]
  ecosystem_specific?: Record<string, unknown>
  database_specific?: Record<string, unknown>
}

export interface OsvReference { type: string, url: string }

export interface OsvRecord {
  id: string
  modified: string
  published?: string
  withdrawn?: string
  schema_version?: string
  aliases: string[]
  related?: string[]
  upstream?: string[]
  summary?: string
  details?: string
  severity: OsvSeverity[]
  affected: OsvAffected[]
  references: OsvReference[]
  database_specific?: Record<string, unknown>
}

/** Bounds well above anything real feeds hold (the largest PyPI record lists ~1,100 versions). */
const LIMITS = {
  id: 256, timestamp: 64, ecosystem: 256, name: 1024, version: 512, url: 4096,
  summary: 4096, details: 200_000, score: 1024,
  ids: 10_000, affected: 10_000, ranges: 1_000, events: 10_000, versions: 200_000, references: 10_000, severity: 100,
  /** JSON nodes and depth of a free-form `*_specific` map. */
  specificNodes: 100_000, specificDepth: 32,
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i
/** Ids are keys in the advisory DB and in findings: visible ASCII, no spaces. */
const ID = /^[\x21-\x7e]+$/
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const

type Json = Record<string, unknown>

class Reader {
  readonly id: string
  constructor(id: string) {
    this.id = id
  }

  fail(field: string, why: string): AdvisoryError {
    return new AdvisoryError('bad-record', `${this.id}: ${field} ${why}`)
  }

  map(v: unknown, field: string): Json {
    if (!isMap(v)) throw this.fail(field, 'must be an object')
    return v
  }

  list(v: unknown, field: string, max: number): unknown[] {
    if (v === undefined || v === null) return []
    if (!Array.isArray(v)) throw this.fail(field, 'must be a list')
    if (v.length > max) throw this.fail(field, `has more than ${max} entries`)
    return v
  }

  str(v: unknown, field: string, max: number): string {
    if (typeof v !== 'string') throw this.fail(field, 'must be a string')
    if (v.length === 0) throw this.fail(field, 'must not be empty')
    if (v.length > max) throw this.fail(field, `is longer than ${max} characters`)
    return v
  }

  optStr(v: unknown, field: string, max: number): string | undefined {
    return v === undefined || v === null ? undefined : this.str(v, field, max)
  }

  timestamp(v: unknown, field: string): string {
    const s = this.str(v, field, LIMITS.timestamp)
    if (!TIMESTAMP.test(s)) throw this.fail(field, 'must be an RFC 3339 timestamp')
    return s
  }

  optTimestamp(v: unknown, field: string): string | undefined {
    return v === undefined || v === null ? undefined : this.timestamp(v, field)
  }

  ids(v: unknown, field: string): string[] {
    return this.list(v, field, LIMITS.ids).map((x, i) => {
      const s = this.str(x, `${field}[${i}]`, LIMITS.id)
      if (!ID.test(s)) throw this.fail(`${field}[${i}]`, 'must be visible ASCII without spaces')
      return s
    })
  }

  specific(v: unknown, field: string): Json | undefined {
    if (v === undefined || v === null) return undefined
    const m = this.map(v, field)
    let nodes = 0
    // Free-form, so only its size is bounded: a hostile record cannot make it costly to keep.
    const walk = (x: unknown, depth: number): void => {
      if (++nodes > LIMITS.specificNodes) throw this.fail(field, `holds more than ${LIMITS.specificNodes} values`)
      if (depth > LIMITS.specificDepth) throw this.fail(field, `is nested deeper than ${LIMITS.specificDepth}`)
      if (typeof x === 'string' && x.length > LIMITS.details) throw this.fail(field, 'holds an oversized string')
      if (Array.isArray(x)) for (const y of x) walk(y, depth + 1)
      else if (isMap(x)) for (const k in x) walk(x[k], depth + 1)
    }
    walk(m, 0)
    return m
  }

  severities(v: unknown, field: string): OsvSeverity[] {
    return this.list(v, field, LIMITS.severity).map((x, i) => {
      const s = this.map(x, `${field}[${i}]`)
      return { type: this.str(s.type, `${field}[${i}].type`, 64), score: this.str(s.score, `${field}[${i}].score`, LIMITS.score) }
    })
  }

  range(v: unknown, field: string): OsvRange {
    const r = this.map(v, field)
    const type = r.type
    if (type !== 'SEMVER' && type !== 'ECOSYSTEM' && type !== 'GIT') throw this.fail(`${field}.type`, `must be SEMVER, ECOSYSTEM or GIT, not ${JSON.stringify(type)?.slice(0, 40)}`)
    const repo = this.optStr(r.repo, `${field}.repo`, LIMITS.url)
    if (type === 'GIT' && repo === undefined) throw this.fail(`${field}.repo`, 'is required for a GIT range')
    const events = this.list(r.events, `${field}.events`, LIMITS.events).map((e, i) => this.event(e, `${field}.events[${i}]`))
    if (events.length === 0) throw this.fail(`${field}.events`, 'must not be empty')
    if (!events.some((e) => 'introduced' in e)) throw this.fail(`${field}.events`, 'needs an introduced event')
    return repo === undefined ? { type, events } : { type, repo, events }
  }

  event(v: unknown, field: string): RangeEvent {
    const e = this.map(v, field)
    let found: RangeEvent | undefined
    for (const k of EVENT_KEYS) {
      if (e[k] === undefined) continue
      if (found) throw this.fail(field, 'must hold exactly one of introduced, fixed, last_affected, limit')
      found = { [k]: this.str(e[k], `${field}.${k}`, LIMITS.version) } as RangeEvent
    }
    if (!found) throw this.fail(field, 'must hold one of introduced, fixed, last_affected, limit')
    return found
  }

  affected(v: unknown, field: string): OsvAffected {
    const a = this.map(v, field)
    const out: OsvAffected = {
      ranges: this.list(a.ranges, `${field}.ranges`, LIMITS.ranges).map((r, i) => this.range(r, `${field}.ranges[${i}]`)),
      versions: this.list(a.versions, `${field}.versions`, LIMITS.versions).map((x, i) => this.str(x, `${field}.versions[${i}]`, LIMITS.version)),
    }
    if (a.package !== undefined && a.package !== null) {
      const p = this.map(a.package, `${field}.package`)
      const pkg: OsvPackage = {
        ecosystem: this.str(p.ecosystem, `${field}.package.ecosystem`, LIMITS.ecosystem),
        name: this.str(p.name, `${field}.package.name`, LIMITS.name),
      }
      const purl = this.optStr(p.purl, `${field}.package.purl`, LIMITS.url)
      if (purl !== undefined) pkg.purl = purl
      out.package = pkg
    } else if (!out.ranges.some((r) => r.type === 'GIT')) {
      throw this.fail(`${field}.package`, 'is required unless the entry has a GIT range')
    }
    if (a.severity !== undefined && a.severity !== null) out.severity = this.severities(a.severity, `${field}.severity`)
    const eco = this.specific(a.ecosystem_specific, `${field}.ecosystem_specific`)
    if (eco) out.ecosystem_specific = eco
    const db = this.specific(a.database_specific, `${field}.database_specific`)
    if (db) out.database_specific = db
    return out
  }

  reference(v: unknown, field: string): OsvReference {
    const r = this.map(v, field)
    return { type: this.optStr(r.type, `${field}.type`, 64) ?? 'WEB', url: this.str(r.url, `${field}.url`, LIMITS.url) }
  }
}

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Validates one OSV record (already JSON-decoded); throws AdvisoryError `bad-record`. */
export function parseOsvRecord(json: unknown): OsvRecord {
  if (!isMap(json)) throw new AdvisoryError('bad-record', 'an OSV record must be a JSON object')
  const head = new Reader('record')
  const id = head.str(json.id, 'id', LIMITS.id)
  if (!ID.test(id)) throw head.fail('id', 'must be visible ASCII without spaces')
  const r = new Reader(id)
  const record: OsvRecord = {
    id,
    modified: r.timestamp(json.modified, 'modified'),
    aliases: r.ids(json.aliases, 'aliases'),
    severity: r.severities(json.severity, 'severity'),
    affected: r.list(json.affected, 'affected', LIMITS.affected).map((a, i) => r.affected(a, `affected[${i}]`)),
    references: r.list(json.references, 'references', LIMITS.references).map((x, i) => r.reference(x, `references[${i}]`)),
  }
  const published = r.optTimestamp(json.published, 'published')
  if (published !== undefined) record.published = published
  const withdrawn = r.optTimestamp(json.withdrawn, 'withdrawn')
  if (withdrawn !== undefined) record.withdrawn = withdrawn
  const schema = r.optStr(json.schema_version, 'schema_version', 32)
  if (schema !== undefined) record.schema_version = schema
  if (json.related !== undefined && json.related !== null) record.related = r.ids(json.related, 'related')
  if (json.upstream !== undefined && json.upstream !== null) record.upstream = r.ids(json.upstream, 'upstream')
  // An empty summary or details is as good as none: real feeds write "".
  if (typeof json.summary === 'string' && json.summary !== '') record.summary = r.str(json.summary, 'summary', LIMITS.summary)
  else if (json.summary !== undefined && json.summary !== null && json.summary !== '') throw r.fail('summary', 'must be a string')
  if (typeof json.details === 'string' && json.details !== '') record.details = r.str(json.details, 'details', LIMITS.details)
  else if (json.details !== undefined && json.details !== null && json.details !== '') throw r.fail('details', 'must be a string')
  const db = r.specific(json.database_specific, 'database_specific')
  if (db) record.database_specific = db
  return record
}
