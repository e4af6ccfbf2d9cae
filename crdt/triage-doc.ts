// `<tenant>/triage` (DESIGN.md "Data model"), written by the hub on behalf of a user: each
// finding's status (open, acknowledged, false-positive, risk-accepted until a date, fixed),
// assignee and comments, every change with the user who made it. Pure functions over the
// Y.Doc; call the writers inside one step of EnvelopeLog.writeAs.
import * as Y from 'yjs'
import { DocValueError } from './errors.ts'
import { clean, sameValue } from './map-entry.ts'

/** Y.Map names: finding id → Triage; finding id → Y.Array of TriageEvent; finding id → Y.Array of TriageComment. */
export const TRIAGE = 'triage'
export const TRIAGE_HISTORY = 'history'
export const TRIAGE_COMMENTS = 'comments'

export const TRIAGE_STATUSES = ['open', 'acknowledged', 'false-positive', 'risk-accepted', 'fixed'] as const
export type TriageStatus = typeof TRIAGE_STATUSES[number]

/** Who did it and when (the hub's clock), recorded with every change. */
export interface Actor { by: string, at: number }

export interface Triage extends Actor {
  status: TriageStatus
  /** risk-accepted only: when the acceptance ends (ms since the epoch); after it the finding is open again. */
  until?: number
  assignee?: string
  reason?: string
}

/** One change of a finding's triage: the fields it set, by whom, when. */
export type TriageEvent = Triage

export interface TriageComment extends Actor {
  /** Chosen by the writer (the hub's id source): adding the same comment twice adds it once. */
  id: string
  text: string
}

/** What a user changes: a field left out is kept; null clears assignee or reason. */
export interface TriageChange {
  status?: TriageStatus
  until?: number
  assignee?: string | null
  reason?: string | null
}

const MAX_TEXT = 10_000
const MAX_NAME = 256

function check(ok: boolean, what: string): void {
  if (!ok) throw new DocValueError('bad-value', what)
}

const text = (s: unknown, max: number) => typeof s === 'string' && s.length > 0 && s.length <= max

export function triage(doc: Y.Doc, findingId: string): Triage | undefined {
  return doc.getMap<Triage>(TRIAGE).get(findingId)
}

/** The status that applies now: open when never triaged, and again once a risk acceptance ran out. */
export function effectiveStatus(t: Triage | undefined, now: number): TriageStatus {
  if (!t) return 'open'
  if (t.status === 'risk-accepted' && t.until !== undefined && t.until <= now) return 'open'
  return t.status
}

/**
 * Applies a user's change to a finding's triage and records it in the finding's history.
 * Nothing is written when the change leaves the triage as it is. Returns the triage after it.
 */
export function setTriage(doc: Y.Doc, findingId: string, change: TriageChange, actor: Actor): Triage {
  check(text(actor.by, MAX_NAME) && Number.isSafeInteger(actor.at), `${findingId}: a change needs its user and time`)
  check(change.status === undefined || TRIAGE_STATUSES.includes(change.status), `${findingId}: status ${String(change.status)}`)
  check(change.assignee == null || text(change.assignee, MAX_NAME), `${findingId}: assignee`)
  check(change.reason == null || text(change.reason, MAX_TEXT), `${findingId}: reason`)
  const held = triage(doc, findingId)
  const status = change.status ?? held?.status ?? 'open'
  // A risk acceptance always has an end, and only a risk acceptance has one.
  const until = status === 'risk-accepted' ? (change.until ?? (held?.status === 'risk-accepted' ? held.until : undefined)) : undefined
  check(status === 'risk-accepted' || change.until === undefined, `${findingId}: until goes with risk-accepted only`)
  check(status !== 'risk-accepted' || Number.isSafeInteger(until), `${findingId}: risk-accepted needs an until`)
  // Accepting a risk (again, or for longer) looks ahead; editing an acceptance that ran out
  // (its assignee, say) does not have to renew it.
  if (change.status === 'risk-accepted' || change.until !== undefined) check(until! > actor.at, `${findingId}: risk accepted until a time already past`)
  const pick = <K extends 'assignee' | 'reason'>(k: K) => (change[k] === null ? undefined : change[k] ?? held?.[k])
  const fields = clean({ status, until, assignee: pick('assignee'), reason: pick('reason') })
  if (held && sameValue(clean({ status: held.status, until: held.until, assignee: held.assignee, reason: held.reason }), fields)) return held
  const next: Triage = { ...fields, by: actor.by, at: actor.at }
  doc.getMap<Triage>(TRIAGE).set(findingId, next)
  arrayOf<TriageEvent>(doc, TRIAGE_HISTORY, findingId).push([next])
  return next
}

/** Every triage change of a finding, oldest first. */
export function triageHistory(doc: Y.Doc, findingId: string): TriageEvent[] {
  return doc.getMap<Y.Array<TriageEvent>>(TRIAGE_HISTORY).get(findingId)?.toArray() ?? []
}

/** Adds a comment unless one with its id is there already. Whether it added it. */
export function addComment(doc: Y.Doc, findingId: string, comment: TriageComment): boolean {
  check(text(comment.id, MAX_NAME) && text(comment.by, MAX_NAME) && Number.isSafeInteger(comment.at), `${findingId}: a comment needs its id, user and time`)
  check(text(comment.text, MAX_TEXT), `${findingId}: a comment's text is 1–${MAX_TEXT} characters`)
  const list = doc.getMap<Y.Array<TriageComment>>(TRIAGE_COMMENTS).get(findingId)
  if (list?.toArray().some((c) => c.id === comment.id)) return false
  arrayOf<TriageComment>(doc, TRIAGE_COMMENTS, findingId).push([clean(comment)])
  return true
}

/** A finding's comments, oldest first. */
export function comments(doc: Y.Doc, findingId: string): TriageComment[] {
  return doc.getMap<Y.Array<TriageComment>>(TRIAGE_COMMENTS).get(findingId)?.toArray() ?? []
}

/** The finding's array in a map of arrays, made on first use (one writer: no concurrent creation to lose). */
function arrayOf<T>(doc: Y.Doc, mapName: string, findingId: string): Y.Array<T> {
  const map = doc.getMap<Y.Array<T>>(mapName)
  let list = map.get(findingId)
  if (!list) {
    list = new Y.Array<T>()
    map.set(findingId, list)
  }
  return list
}
