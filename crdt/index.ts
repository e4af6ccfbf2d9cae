// crdt/: the documents of DESIGN.md "Data model", their schema and the finding fingerprint.
export { fingerprint, type FingerprintInput, type FindingKind } from './fingerprint.ts'
export { SEVERITIES, severityRank, type Finding, type Severity } from './finding.ts'
