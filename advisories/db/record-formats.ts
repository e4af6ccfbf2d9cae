// What one JSON document holds, told apart by shape: an OSV record, an advisory in the
// Node.js security WG's npm format (converted), the WG's index of those, or a list of any
// of these. Each record comes out validated or as an error naming where it was, so one bad
// record never stops the rest.
import { parseOsvRecord, type OsvRecord } from '../osv.ts'
import { isNpmSecurityWgAdvisory, isNpmSecurityWgIndex, npmSecurityWgIndexEntries, npmSecurityWgToOsv } from './npm-security-wg.ts'

export type DecodedItem = { where: string, record: OsvRecord } | { where: string, error: string }

function decodeOne(json: unknown, where: string): DecodedItem {
  try {
    return { where, record: isNpmSecurityWgAdvisory(json) ? npmSecurityWgToOsv(json) : parseOsvRecord(json) }
  } catch (err) {
    return { where, error: (err as Error).message }
  }
}

/** The records of one JSON document found at `where` (a line, a file, a zip entry). */
export function* decodeRecords(json: unknown, where: string): Generator<DecodedItem> {
  if (Array.isArray(json)) {
    for (let i = 0; i < json.length; i++) {
      yield Array.isArray(json[i]) ? { where: `${where}[${i}]`, error: 'a list inside a list of records' } : decodeOne(json[i], `${where}[${i}]`)
    }
  } else if (isNpmSecurityWgIndex(json)) {
    for (const [key, advisory] of npmSecurityWgIndexEntries(json)) yield decodeOne(advisory, `${where} #${key}`)
  } else {
    yield decodeOne(json, where)
  }
}
