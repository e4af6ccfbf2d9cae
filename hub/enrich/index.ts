// hub/enrich: what the hub adds to findings — its advisory DB with EPSS and KEV, risk
// scores, upgrade advice, re-matching stored inventories, and VEX suppressions.
export { ENRICH_DEFAULTS } from './constants.ts'
export { EnrichError, type EnrichErrorCode } from './errors.ts'
export { HubDb, openHubDb, importIntoHubDb, hubDbDir, type HubDbOptions, type HubDbStatus, type FeedStatus, type FeedImportStats, type EpssScore, type KevEntry } from './hub-db.ts'
export { readEpss, parseEpssLine, type EpssLine, type EpssHeader } from './epss-csv.ts'
export { readKev, type KevCatalog } from './kev-json.ts'
export { riskScore, severityWeight, exploitability, type RiskInput } from './risk.ts'
export { createEnricher, type Enricher, type EnricherOptions, type EnrichSource, type Enrichment } from './enricher.ts'
export { createRematcher, rematchInventories, type Rematcher, type RematcherInit, type RematchOptions, type RematchResult, type RecordSource, type Inventories } from './rematch.ts'
export { runRematchTask, type RematchTask, type RematchTaskResult } from './rematch-task.ts'
export { upgradeAdvice, type AdviceFinding, type UpgradeAdvice, type UpgradeStep } from './upgrade-advice.ts'
