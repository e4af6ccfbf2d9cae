// crdt/: the documents of DESIGN.md "Data model", their schema and the finding fingerprint.
export { fingerprint, type FingerprintInput, type FindingKind } from './fingerprint.ts'
export { SEVERITIES, severityRank, type Finding, type Severity } from './finding.ts'
export { EnvelopeError, DocValueError, type EnvelopeErrorCode, type DocValueErrorCode } from './errors.ts'
export { inventoryDoc, findingsDoc, tenantDoc, parseDocName, mayWrite, type DocKind, type ParsedDoc, type WriteRights } from './doc-names.ts'
export { clientIdOf } from './client-id.ts'
export { buildEnvelope, buildEnvelopeAsync, openEnvelope, checkSignature, placeOnChain, hashOf, type Author, type ChainHead } from './envelope.ts'
export { EnvelopeLog, BYTES_PER_ENVELOPE, type AppendPolicy, type AppendResult, type HaveVector, type Store } from './envelope-log.ts'
export { docAndAuthorOf } from './log-layout.ts'
export { MapUpdateWriter, type EntryChange, type EncodedChange } from './map-update.ts'
export { openAuthorDoc, deltaOf, changeOf, type Change } from './author-doc.ts'
export { writeFindings, writeInventory, writeScanRecord, scanRecordChange, findingChanges, findingChangesOf, inventoryChanges, packageKey, FINDINGS, PACKAGES, SCAN, type ScanSummary } from './scan-docs.ts'
export {
  TRIAGE, COMMENTS, AGENTS, TRIAGE_STATUSES, triageOf, effectiveStatus, setTriage, addComment, commentsOf, updateAgentStatus, agentStatusOf,
  type Triage, type TriageStatus, type Comment, type AgentStatusEntry,
} from './tenant-docs.ts'
export { clean, sameValue, setIfChanged } from './map-entry.ts'
export {
  setAdvisoryScores, advisoryScores, setFindingEnrichment, findingEnrichment, deleteFindingEnrichment, setMatchedFinding, matchedFindings, ENRICH_ADVISORIES, ENRICH_FINDINGS, ENRICH_MATCHED, CVSS_VERSIONS,
  type MatchedFinding, type AdvisoryScores, type FindingEnrichment, type CvssScore, type CvssVersion, type EpssScore, type KevEntry,
} from './enrich-doc.ts'
