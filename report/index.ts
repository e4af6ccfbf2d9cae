// report/: findings as the formats other tools read (SARIF 2.1.0, CycloneDX 1.6), shared by
// `zt scan` (node/) and the hub's report endpoints (hub/).
export { toSarif } from './sarif.ts'
export { toCycloneDx } from './cyclonedx.ts'
export { TOOL } from './tool.ts'
export type { ReportInput, ReportFinding } from './input.ts'
export { toCsv, csvCell, CSV_COLUMNS } from './csv.ts'
export { toHtml, escapeHtml } from './html.ts'
