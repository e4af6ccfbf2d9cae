// `<tenant>/agents` (DESIGN.md "Data model"), written by the hub: each agent's status — what
// its certificate says, its version, when it was last seen, its last scan. Last-seen moves
// all the time, so it has a map of its own (a small number per write, not the whole record)
// and moves only in steps of `resolutionMs`. Pure functions over the Y.Doc; call the writers
// inside one step of EnvelopeLog.writeAs.
import type * as Y from 'yjs'
import { DocValueError } from './errors.ts'
import { setIfChanged } from './map-entry.ts'
import type { ScanSummary } from './scan-docs.ts'

/** Y.Map names, each keyed by agent id (its PeerId). */
export const AGENTS = 'agents'
export const AGENTS_SEEN = 'lastSeen'
export const AGENTS_SCAN = 'lastScan'

/** What changes seldom: from the agent's certificate and hello. */
export interface AgentInfo {
  name?: string
  /** ZeroTrace version the agent runs. */
  version?: string
  roles?: string[]
  certSerial?: number
  /** The certificate's notAfter (ms since the epoch). */
  certExpiry?: number
}

export interface AgentRecord extends AgentInfo {
  id: string
  lastSeen?: number
  lastScan?: ScanSummary
}

/** Last-seen moves in steps of this much by default: a minute is as precise as a status page needs. */
export const SEEN_RESOLUTION_MS = 60_000

function check(ok: boolean, what: string): void {
  if (!ok) throw new DocValueError('bad-value', what)
}

/** Records what the agent's certificate and hello say; writes only on a change. Whether it wrote. */
export function setAgentInfo(doc: Y.Doc, agentId: string, info: AgentInfo): boolean {
  check(info.certExpiry === undefined || Number.isSafeInteger(info.certExpiry), `${agentId}: certExpiry`)
  check(info.certSerial === undefined || Number.isSafeInteger(info.certSerial), `${agentId}: certSerial`)
  check(info.roles === undefined || info.roles.every((r) => typeof r === 'string'), `${agentId}: roles`)
  return setIfChanged(doc.getMap<AgentInfo>(AGENTS), agentId, info)
}

/** The agent was seen at `at`: written when that is at least `resolutionMs` after what is held (never backwards). */
export function agentSeen(doc: Y.Doc, agentId: string, at: number, resolutionMs = SEEN_RESOLUTION_MS): boolean {
  check(Number.isSafeInteger(at), `${agentId}: seen at ${String(at)}`)
  const map = doc.getMap<number>(AGENTS_SEEN)
  const held = map.get(agentId)
  if (held !== undefined && at < held + resolutionMs) return false
  map.set(agentId, at)
  return true
}

/** The agent's latest scan (from its findings doc's scan record): written when newer or different. */
export function setAgentLastScan(doc: Y.Doc, agentId: string, scan: ScanSummary): boolean {
  check(Number.isSafeInteger(scan.at), `${agentId}: scan time`)
  const map = doc.getMap<ScanSummary>(AGENTS_SCAN)
  const held = map.get(agentId)
  if (held && held.at > scan.at) return false
  return setIfChanged(map, agentId, scan)
}

export function agentRecord(doc: Y.Doc, agentId: string): AgentRecord | undefined {
  const info = doc.getMap<AgentInfo>(AGENTS).get(agentId)
  const lastSeen = doc.getMap<number>(AGENTS_SEEN).get(agentId)
  const lastScan = doc.getMap<ScanSummary>(AGENTS_SCAN).get(agentId)
  if (info === undefined && lastSeen === undefined && lastScan === undefined) return undefined
  const out: AgentRecord = { id: agentId, ...info }
  if (lastSeen !== undefined) out.lastSeen = lastSeen
  if (lastScan !== undefined) out.lastScan = lastScan
  return out
}

/** Every agent the doc knows, by id. */
export function agentRecords(doc: Y.Doc): AgentRecord[] {
  const ids = new Set<string>()
  for (const name of [AGENTS, AGENTS_SEEN, AGENTS_SCAN]) for (const id of doc.getMap(name).keys()) ids.add(id)
  return [...ids].sort().map((id) => agentRecord(doc, id)!)
}

/** Forgets an agent (removed from the tenant). Whether the doc knew it. */
export function removeAgent(doc: Y.Doc, agentId: string): boolean {
  let held = false
  for (const name of [AGENTS, AGENTS_SEEN, AGENTS_SCAN]) {
    const map = doc.getMap(name)
    if (map.has(agentId)) { map.delete(agentId); held = true }
  }
  return held
}
