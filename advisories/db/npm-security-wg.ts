// Advisories in the Node.js security WG's older npm format (nodejs/security-wg
// `vuln/npm/<n>.json`: `module_name`, semver range strings in `vulnerable_versions` and
// `patched_versions`, a CVSS v3 vector) converted to OSV records, so they are stored and
// matched like any other. The WG published them as NSWG-ECO-<n>, the id used here.
// `vulnerable_versions` defines the affected versions (npm-semver-range.ts turns it into
// one SEMVER range per `||` alternative); `patched_versions`, meant as its complement, is
// kept in database_specific but not read.
import { AdvisoryError } from '../errors.ts'
import { parseOsvRecord, type OsvRecord, type OsvSeverity } from '../osv.ts'
import { npmRangeToOsv } from './npm-semver-range.ts'

type Json = Record<string, unknown>

const DATE = /^\d{4}-\d{2}-\d{2}$/
const CVE = /^CVE-\d{4}-\d{4,}$/

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** An advisory of the WG's npm format: it names a module and the versions it affects. */
export function isNpmSecurityWgAdvisory(json: unknown): json is Json {
  return isMap(json) && typeof json.module_name === 'string' && 'vulnerable_versions' in json
}

/** The WG's `vuln/npm/index.json`: its advisories keyed by number (and `_`-prefixed bookkeeping keys). */
export function isNpmSecurityWgIndex(json: unknown): json is Record<string, unknown> {
  if (!isMap(json)) return false
  const keys = Object.keys(json).filter((k) => !k.startsWith('_'))
  return keys.length > 0 && keys.every((k) => /^\d+$/.test(k) && isNpmSecurityWgAdvisory(json[k]))
}

/** The advisories of the WG's index, by their key. */
export function npmSecurityWgIndexEntries(index: Record<string, unknown>): [string, unknown][] {
  return Object.entries(index).filter(([k]) => !k.startsWith('_'))
}

function timestamp(date: unknown): string | undefined {
  return typeof date === 'string' && DATE.test(date) ? `${date}T00:00:00Z` : undefined
}

/** The advisory as a validated OSV record; throws AdvisoryError `bad-record`. */
export function npmSecurityWgToOsv(json: unknown): OsvRecord {
  if (!isNpmSecurityWgAdvisory(json)) throw new AdvisoryError('bad-record', 'not an npm security-wg advisory')
  if (typeof json.id !== 'number' || !Number.isSafeInteger(json.id) || json.id < 0) {
    throw new AdvisoryError('bad-record', `npm security-wg advisory of ${json.module_name}: id must be a whole number`)
  }
  const id = `NSWG-ECO-${json.id}`
  const fail = (why: string) => new AdvisoryError('bad-record', `${id}: ${why}`)
  if (typeof json.vulnerable_versions !== 'string') throw fail('vulnerable_versions must be a range string')
  let ranges
  try {
    ranges = npmRangeToOsv(json.vulnerable_versions)
  } catch (err) {
    throw fail(`vulnerable_versions '${json.vulnerable_versions}' is not an npm range: ${(err as Error).message}`)
  }
  const modified = timestamp(json.updated_at) ?? timestamp(json.created_at) ?? timestamp(json.publish_date)
  if (modified === undefined) throw fail('has no updated_at, created_at or publish_date date')
  const severity: OsvSeverity[] = typeof json.cvss_vector === 'string' && json.cvss_vector.startsWith('CVSS:3.')
    ? [{ type: 'CVSS_V3', score: json.cvss_vector }] : []
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined)
  const overview = text(json.overview)
  const recommendation = text(json.recommendation)
  const details = [overview, recommendation && `## Recommendation\n\n${recommendation}`].filter(Boolean).join('\n\n')
  const osv = {
    id,
    modified,
    published: timestamp(json.publish_date),
    aliases: Array.isArray(json.cves) ? json.cves.filter((c): c is string => typeof c === 'string' && CVE.test(c)) : [],
    summary: text(json.title),
    details: details || undefined,
    severity,
    affected: [{
      package: { ecosystem: 'npm', name: json.module_name },
      ranges,
      database_specific: { vulnerable_versions: json.vulnerable_versions, patched_versions: json.patched_versions ?? null },
    }],
    references: Array.isArray(json.references)
      ? json.references.filter((u): u is string => typeof u === 'string' && /^https?:\/\//.test(u)).map((url) => ({ type: 'WEB', url }))
      : [],
    database_specific: { source: 'nodejs/security-wg', ...(typeof json.cvss_score === 'number' ? { cvss_score: json.cvss_score } : {}) },
  }
  return parseOsvRecord(osv)
}
