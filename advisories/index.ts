// advisories/: OSV records, version ordering per ecosystem, matching, severity, and the
// LevelDB advisory DB. Shared by agent (scans) and hub (re-matching). No network I/O.
export { AdvisoryError, type AdvisoryErrorCode } from './errors.ts'
export { parseOsvRecord, type OsvRecord, type OsvAffected, type OsvRange, type RangeEvent, type OsvSeverity } from './osv.ts'
export { comparatorFor, type VersionComparator } from './versions/index.ts'
export { affects, inRange, groupAliases, type AffectedMatch, type AliasGroup } from './match.ts'
export { severityOf, ratingOf, type SeverityInfo, type SeverityLevel } from './severity.ts'
export { parseCvss3, type Cvss3 } from './cvss/cvss3.ts'
export { AdvisoryDb, openAdvisoryDb, type ImportStats, type DbStatus } from './db/advisory-db.ts'
