// CISA's Known Exploited Vulnerabilities catalog
// (https://www.cisa.gov/known-exploited-vulnerabilities-catalog, the JSON feed):
// `{catalogVersion, dateReleased, count, vulnerabilities: [{cveID, vendorProject, product,
// vulnerabilityName, dateAdded, dueDate, knownRansomwareCampaignUse, …}]}`. The catalog is
// about 1.5 MB, so it is read whole (bounded); each entry comes out validated or as an
// error naming it.
import { readFile, stat } from 'node:fs/promises'
import { ENRICH_DEFAULTS } from './constants.ts'
import { CVE_ID } from './epss-csv.ts'
import { EnrichError } from './errors.ts'

export interface KevEntry {
  /** When CISA added it (YYYY-MM-DD). */
  dateAdded: string
  /** Remediation due date for US federal agencies (YYYY-MM-DD), when given. */
  dueDate?: string
  /** Known to be used in ransomware campaigns (`knownRansomwareCampaignUse: "Known"`). */
  ransomware: boolean
  vendor: string
  product: string
  name?: string
}

export interface KevCatalog {
  catalogVersion?: string
  dateReleased?: string
  entries: ({ cve: string, entry: KevEntry } | { where: string, error: string })[]
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined)

/** One catalog entry; `where` names it in errors. */
export function parseKevEntry(v: unknown, where: string): { cve: string, entry: KevEntry } | { where: string, error: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { where, error: 'not an object' }
  const o = v as Record<string, unknown>
  const cve = str(o.cveID)?.toUpperCase()
  if (cve === undefined || !CVE_ID.test(cve)) return { where, error: `cveID is not a CVE id: ${JSON.stringify(o.cveID)?.slice(0, 40)}` }
  const dateAdded = str(o.dateAdded)
  if (dateAdded === undefined || !DATE.test(dateAdded)) return { where: `${where} (${cve})`, error: `dateAdded is not a YYYY-MM-DD date: ${JSON.stringify(o.dateAdded)?.slice(0, 40)}` }
  const dueDate = str(o.dueDate)
  if (dueDate !== undefined && !DATE.test(dueDate)) return { where: `${where} (${cve})`, error: `dueDate is not a YYYY-MM-DD date: ${JSON.stringify(o.dueDate).slice(0, 40)}` }
  const name = str(o.vulnerabilityName)
  return {
    cve,
    entry: {
      dateAdded, ...(dueDate ? { dueDate } : {}),
      ransomware: str(o.knownRansomwareCampaignUse)?.toLowerCase() === 'known',
      vendor: str(o.vendorProject) ?? '', product: str(o.product) ?? '', ...(name ? { name } : {}),
    },
  }
}

/** Reads and validates a KEV catalog file; EnrichError `bad-source` when it is not one at all. */
export async function readKev(path: string, opts: { signal?: AbortSignal } = {}): Promise<KevCatalog> {
  const st = await stat(path).catch((err: Error) => { throw new EnrichError('bad-source', `${path}: ${err.message}`, { cause: err }) })
  if (!st.isFile()) throw new EnrichError('bad-source', `${path}: not a file`)
  if (st.size > ENRICH_DEFAULTS.maxKevBytes) throw new EnrichError('bad-source', `${path}: larger than ${ENRICH_DEFAULTS.maxKevBytes} bytes; not a KEV catalog`)
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, { encoding: 'utf8', signal: opts.signal }))
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    throw new EnrichError('bad-source', `${path}: not JSON: ${(err as Error).message}`, { cause: err })
  }
  const doc = json as { catalogVersion?: unknown, dateReleased?: unknown, vulnerabilities?: unknown }
  if (typeof json !== 'object' || json === null || !Array.isArray(doc.vulnerabilities)) {
    throw new EnrichError('bad-source', `${path}: not a KEV catalog (no "vulnerabilities" list)`)
  }
  const catalogVersion = str(doc.catalogVersion)
  const dateReleased = str(doc.dateReleased)
  return {
    ...(catalogVersion ? { catalogVersion } : {}),
    ...(dateReleased ? { dateReleased } : {}),
    entries: doc.vulnerabilities.map((v, i) => parseKevEntry(v, `vulnerabilities[${i}]`)),
  }
}
