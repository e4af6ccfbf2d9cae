// advisories/: OSV records, version ordering per ecosystem, matching, severity, and the
// LevelDB advisory DB. Shared by agent (scans) and hub (re-matching). No network I/O.
export { AdvisoryError, type AdvisoryErrorCode } from './errors.ts'
export { parseOsvRecord, type OsvRecord, type OsvAffected, type OsvPackage, type OsvRange, type RangeType, type RangeEvent, type OsvSeverity, type OsvReference } from './osv.ts'
export { comparatorFor, type VersionComparator, type ParsedVersion } from './versions/index.ts'
export { affects, type AffectedMatch } from './match.ts'
export { inRange, prepareRange, evaluateRange, type PreparedRange, type RangeHit } from './range-evaluation.ts'
export { ecosystemCovers, releaseOf } from './ecosystem-scope.ts'
export { groupAliases, aliasGroups, type AliasGroup } from './alias-groups.ts'
export { severityOf, ratingOf, type SeverityInfo, type SeverityLevel } from './severity.ts'
export { parseCvss3, type Cvss3 } from './cvss/cvss3.ts'
export { parseCvss4, type Cvss4 } from './cvss/cvss4.ts'
export { AdvisoryDb, openAdvisoryDb, type ImportStats, type DbStatus } from './db/advisory-db.ts'
