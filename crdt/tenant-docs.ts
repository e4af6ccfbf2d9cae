// The hub-written docs of a tenant (DESIGN.md "Data model"): `<tenant>/triage` (a status per
// finding, set by a user through the hub, and comments) and `<tenant>/agents` (what the hub
// knows of each agent). Pure functions over a Y.Doc; the schema is defined here once. An
// entry is only set when it changes: Y.Map keeps every overwritten value.
import type * as Y from 'yjs'

export const TRIAGE = 'triage'
export const COMMENTS = 'comments'
export const AGENTS = 'agents'

export const TRIAGE_STATUSES = ['open', 'acknowledged', 'false-positive', 'risk-accepted', 'fixed'] as const
export type TriageStatus = typeof TRIAGE_STATUSES[number]

export interface Triage {
  status: TriageStatus
  /** risk-accepted: until when (ms); after it the finding counts as open again. */
  until?: number
  reason?: string
  assignee?: string
  /** The user the hub wrote it for, and when. */
  by: string
  at: number
}

export interface Comment { finding: string, by: string, at: number, text: string }

export interface AgentStatusEntry {
  name?: string
  lastSeen?: number
  lastScan?: number
  version?: string
  certExpiry?: number
  revoked?: boolean
  online?: boolean
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Drops undefined fields (Yjs would store them as null). */
function clean<T extends object>(v: T): T {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as T
}

export function triageOf(doc: Y.Doc, finding: string): Triage | undefined {
  return doc.getMap<Triage>(TRIAGE).get(finding)
}

/** The effective status at `now`: a risk acceptance past its date is open again. */
export function effectiveStatus(t: Triage | undefined, now: number): TriageStatus {
  if (!t) return 'open'
  if (t.status === 'risk-accepted' && t.until !== undefined && t.until <= now) return 'open'
  return t.status
}

/** Sets a finding's triage; false when it already said exactly that (nothing written). */
export function setTriage(doc: Y.Doc, finding: string, triage: Triage): boolean {
  const map = doc.getMap<Triage>(TRIAGE)
  const next = clean(triage)
  const held = map.get(finding)
  if (held && sameJson({ ...held, by: '', at: 0 }, { ...next, by: '', at: 0 })) return false
  map.set(finding, next)
  return true
}

export function addComment(doc: Y.Doc, comment: Comment, id: string): void {
  doc.getMap<Comment>(COMMENTS).set(`${comment.finding}#${id}`, clean(comment))
}

export function commentsOf(doc: Y.Doc, finding: string): Comment[] {
  const out: Comment[] = []
  for (const [k, c] of doc.getMap<Comment>(COMMENTS)) if (k.startsWith(`${finding}#`)) out.push(c)
  return out.sort((a, b) => a.at - b.at)
}

/** Merges what changed into an agent's entry; false when nothing did. */
export function updateAgentStatus(doc: Y.Doc, agent: string, patch: AgentStatusEntry): boolean {
  const map = doc.getMap<AgentStatusEntry>(AGENTS)
  const held = map.get(agent) ?? {}
  const next = clean({ ...held, ...patch })
  if (sameJson(held, next)) return false
  map.set(agent, next)
  return true
}

export function agentStatusOf(doc: Y.Doc, agent: string): AgentStatusEntry | undefined {
  return doc.getMap<AgentStatusEntry>(AGENTS).get(agent)
}
