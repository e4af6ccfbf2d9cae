// node/: the agent — discovery, parsers, secret rules, scanning (and later the daemon).
export { scan, type ScanOptions, type ScanResult, type ScanError } from './scan/scanner.ts'
export { ScanCache } from './scan/scan-cache.ts'
export { VulnMatcher, type AdvisorySource } from './scan/vuln-matcher.ts'
export { discover, type DiscoveredFile, type ScanWarning } from './scan/discovery.ts'
export { parsers, parserFor, LockfileError, type LockfileParser } from './scan/lockfiles/index.ts'
export { toTable, toJson } from './scan/report/table.ts'
export { toSarif } from './scan/report/sarif.ts'
export { toCycloneDx } from './scan/report/cyclonedx.ts'
