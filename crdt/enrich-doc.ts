// `<tenant>/enrich` (DESIGN.md "Data model"), written by the hub: what it learns about an
// advisory (CVSS, EPSS, CISA KEV) and what follows for each finding (risk, fix versions).
// It also holds the findings the hub found itself by re-matching an agent's stored
// inventory against newer advisories (`matched`): the agent has not reported them yet, they
// carry the fingerprint the agent would compute, and the hub resolves them when they stop
// matching. Pure functions over the Y.Doc; call the writers inside one step of EnvelopeLog.writeAs.
import type * as Y from 'yjs'
import { DocValueError } from './errors.ts'
import { SEVERITIES, type Finding, type Severity } from './finding.ts'
import { clean, sameValue, setIfChanged } from './map-entry.ts'

/** Y.Map names of the enrich doc: advisory id → AdvisoryScores, finding id → FindingEnrichment, finding id → MatchedFinding. */
export const ENRICH_ADVISORIES = 'advisories'
export const ENRICH_FINDINGS = 'findings'
export const ENRICH_MATCHED = 'matched'

/** A finding the hub found by re-matching an agent's inventory: the agent's id beside it. */
export interface MatchedFinding extends Finding { agent: string }

export const CVSS_VERSIONS = ['2.0', '3.0', '3.1', '4.0'] as const
export type CvssVersion = typeof CVSS_VERSIONS[number]

export interface CvssScore { version: CvssVersion, vector: string, /** Base score 0–10. */ score: number }

/** FIRST's EPSS for the advisory's CVE on one day: probability of exploitation in 30 days. */
export interface EpssScore { probability: number, percentile: number, /** Model date, YYYY-MM-DD. */ date: string }

/** An entry of CISA's Known Exploited Vulnerabilities catalog. */
export interface KevEntry { /** YYYY-MM-DD */ dateAdded: string, /** YYYY-MM-DD */ dueDate?: string, knownRansomware?: boolean }

export interface AdvisoryScores {
  /** Every CVSS vector known for the advisory, newest version first. */
  cvss?: CvssScore[]
  epss?: EpssScore
  kev?: KevEntry
  /** When these scores last changed (the hub's clock). */
  updatedAt: number
}

export interface FindingEnrichment {
  /** 0–100: the hub's ranking of what to fix first. */
  risk: number
  /** The severity the hub settled on (it may differ from the agent's). */
  severity?: Severity
  /** Versions that fix it, as the hub knows them. */
  fixedIn?: string[]
  /** Why the risk is what it is, short phrases ('in KEV', 'EPSS 0.93'). */
  reasons?: string[]
  updatedAt: number
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

function check(ok: boolean, what: string): void {
  if (!ok) throw new DocValueError('bad-value', what)
}

const inRange = (x: unknown, lo: number, hi: number) => typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi

function checkScores(id: string, s: Omit<AdvisoryScores, 'updatedAt'>): void {
  for (const c of s.cvss ?? []) {
    check(CVSS_VERSIONS.includes(c.version), `${id}: CVSS version ${String(c.version)}`)
    check(typeof c.vector === 'string' && c.vector.length > 0 && c.vector.length <= 512, `${id}: CVSS vector`)
    check(inRange(c.score, 0, 10), `${id}: CVSS score ${String(c.score)} is not 0–10`)
  }
  if (s.epss) {
    check(inRange(s.epss.probability, 0, 1) && inRange(s.epss.percentile, 0, 1), `${id}: EPSS values are not 0–1`)
    check(DATE.test(s.epss.date), `${id}: EPSS date ${s.epss.date} is not YYYY-MM-DD`)
  }
  if (s.kev) check(DATE.test(s.kev.dateAdded) && (s.kev.dueDate === undefined || DATE.test(s.kev.dueDate)), `${id}: KEV dates are not YYYY-MM-DD`)
}

/** Sets value + updatedAt unless the held entry has the same value (whatever its updatedAt). */
function setStamped<T extends { updatedAt: number }>(map: Y.Map<T>, key: string, value: Omit<T, 'updatedAt'>, now: number): boolean {
  const held = map.get(key)
  if (held && sameValue(held, clean({ ...value, updatedAt: held.updatedAt }))) return false
  map.set(key, clean({ ...value, updatedAt: now }) as T)
  return true
}

/**
 * Records an advisory's scores; writes only when they differ from what the doc holds
 * (updatedAt is not compared: it moves only with the scores). Whether it wrote.
 */
export function setAdvisoryScores(doc: Y.Doc, advisoryId: string, scores: Omit<AdvisoryScores, 'updatedAt'>, now: number): boolean {
  checkScores(advisoryId, scores)
  const map = doc.getMap<AdvisoryScores>(ENRICH_ADVISORIES)
  const cvss = scores.cvss && [...scores.cvss].sort((a, b) => CVSS_VERSIONS.indexOf(b.version) - CVSS_VERSIONS.indexOf(a.version))
  return setStamped(map, advisoryId, { ...scores, cvss: cvss?.length ? cvss : undefined }, now)
}

export function advisoryScores(doc: Y.Doc, advisoryId: string): AdvisoryScores | undefined {
  return doc.getMap<AdvisoryScores>(ENRICH_ADVISORIES).get(advisoryId)
}

/** Records what the hub concluded about a finding; writes only on a change. Whether it wrote. */
export function setFindingEnrichment(doc: Y.Doc, findingId: string, e: Omit<FindingEnrichment, 'updatedAt'>, now: number): boolean {
  check(inRange(e.risk, 0, 100), `${findingId}: risk ${String(e.risk)} is not 0–100`)
  check(e.severity === undefined || SEVERITIES.includes(e.severity), `${findingId}: severity ${String(e.severity)}`)
  check((e.fixedIn ?? []).every((v) => typeof v === 'string') && (e.reasons ?? []).every((r) => typeof r === 'string'), `${findingId}: fixedIn and reasons are strings`)
  const map = doc.getMap<FindingEnrichment>(ENRICH_FINDINGS)
  return setStamped(map, findingId, { ...e, fixedIn: e.fixedIn?.length ? e.fixedIn : undefined, reasons: e.reasons?.length ? e.reasons : undefined }, now)
}

export function findingEnrichment(doc: Y.Doc, findingId: string): FindingEnrichment | undefined {
  return doc.getMap<FindingEnrichment>(ENRICH_FINDINGS).get(findingId)
}

/** Drops a finding's enrichment (the finding is gone for good). Whether it held one. */
export function deleteFindingEnrichment(doc: Y.Doc, findingId: string): boolean {
  const map = doc.getMap<FindingEnrichment>(ENRICH_FINDINGS)
  if (!map.has(findingId)) return false
  map.delete(findingId)
  return true
}

/** Records a hub-found finding; writes only on a change. Whether it wrote. */
export function setMatchedFinding(doc: Y.Doc, f: MatchedFinding): boolean {
  check(typeof f.id === 'string' && /^[0-9a-f]{32}$/.test(f.id), `matched finding id ${String(f.id)}`)
  check(typeof f.agent === 'string' && f.agent.length > 0 && f.kind === 'vuln' && SEVERITIES.includes(f.severity), `${f.id}: a vuln finding with its agent`)
  return setIfChanged(doc.getMap<MatchedFinding>(ENRICH_MATCHED), f.id, f)
}

/** The hub-found findings, resolved ones included. */
export function matchedFindings(doc: Y.Doc): Y.Map<MatchedFinding> {
  return doc.getMap<MatchedFinding>(ENRICH_MATCHED)
}
