import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { changeOf } from './author-doc.ts'
import { DocValueError } from './errors.ts'
import { addComment, comments, effectiveStatus, setTriage, triage, triageHistory } from './triage-doc.ts'

const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof DocValueError) return err.code; throw err } }
const DAY = 86_400_000

describe('<tenant>/triage', () => {
  it('records each status change with its user; a field left out is kept, null clears it', () => {
    const doc = new Y.Doc()
    expect(effectiveStatus(triage(doc, 'f1'), 0)).toBe('open')
    setTriage(doc, 'f1', { status: 'acknowledged', assignee: 'ana' }, { by: 'bob', at: 1000 })
    expect(triage(doc, 'f1')).toEqual({ status: 'acknowledged', assignee: 'ana', by: 'bob', at: 1000 })
    setTriage(doc, 'f1', { reason: 'upgrade planned' }, { by: 'ana', at: 2000 })
    expect(triage(doc, 'f1')).toEqual({ status: 'acknowledged', assignee: 'ana', reason: 'upgrade planned', by: 'ana', at: 2000 })
    setTriage(doc, 'f1', { status: 'fixed', assignee: null }, { by: 'ana', at: 3000 })
    expect(triage(doc, 'f1')).toEqual({ status: 'fixed', reason: 'upgrade planned', by: 'ana', at: 3000 })
    expect(triageHistory(doc, 'f1').map((e) => [e.status, e.by, e.at])).toEqual([['acknowledged', 'bob', 1000], ['acknowledged', 'ana', 2000], ['fixed', 'ana', 3000]])
  })

  it('a change that changes nothing writes nothing (no entry, no history, no update)', () => {
    const doc = new Y.Doc()
    setTriage(doc, 'f1', { status: 'false-positive', reason: 'test fixture' }, { by: 'bob', at: 1 })
    expect(changeOf(doc, () => setTriage(doc, 'f1', { status: 'false-positive', reason: 'test fixture' }, { by: 'eve', at: 2 }))).toBeUndefined()
    expect(triage(doc, 'f1')).toMatchObject({ by: 'bob', at: 1 })
    expect(triageHistory(doc, 'f1')).toHaveLength(1)
  })

  it('risk-accepted holds until its date, then the finding is open again', () => {
    const doc = new Y.Doc()
    const t = setTriage(doc, 'f1', { status: 'risk-accepted', until: 30 * DAY }, { by: 'bob', at: DAY })
    expect(effectiveStatus(t, 29 * DAY)).toBe('risk-accepted')
    expect(effectiveStatus(t, 30 * DAY)).toBe('open')
    // After it ran out, the assignee can still change without renewing the acceptance.
    expect(setTriage(doc, 'f1', { assignee: 'ana' }, { by: 'bob', at: 31 * DAY })).toMatchObject({ status: 'risk-accepted', until: 30 * DAY, assignee: 'ana' })
    // Any other status drops the date.
    expect(setTriage(doc, 'f1', { status: 'acknowledged' }, { by: 'bob', at: 32 * DAY }).until).toBeUndefined()
  })

  it('refuses what the schema does not allow, writing nothing', () => {
    const doc = new Y.Doc()
    const who = { by: 'bob', at: 10 * DAY }
    expect(code(() => setTriage(doc, 'f', { status: 'risk-accepted' }, who))).toBe('bad-value')
    expect(code(() => setTriage(doc, 'f', { status: 'risk-accepted', until: DAY }, who))).toBe('bad-value')
    expect(code(() => setTriage(doc, 'f', { status: 'acknowledged', until: 20 * DAY }, who))).toBe('bad-value')
    expect(code(() => setTriage(doc, 'f', { status: 'ignored' as 'open' }, who))).toBe('bad-value')
    expect(code(() => setTriage(doc, 'f', { status: 'open' }, { by: '', at: 1 }))).toBe('bad-value')
    expect(code(() => addComment(doc, 'f', { id: 'c1', by: 'bob', at: 1, text: '' }))).toBe('bad-value')
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(new Y.Doc()))
  })

  it('comments are kept in order, each id once', () => {
    const doc = new Y.Doc()
    expect(addComment(doc, 'f1', { id: 'c1', by: 'bob', at: 1, text: 'looking' })).toBe(true)
    expect(addComment(doc, 'f1', { id: 'c2', by: 'ana', at: 2, text: 'fixed in 1.2.3' })).toBe(true)
    expect(addComment(doc, 'f1', { id: 'c1', by: 'bob', at: 1, text: 'looking' })).toBe(false)
    expect(comments(doc, 'f1').map((c) => c.text)).toEqual(['looking', 'fixed in 1.2.3'])
    expect(comments(doc, 'f2')).toEqual([])
    // A replica gets the same from the doc's state.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
    expect(comments(replica, 'f1')).toEqual(comments(doc, 'f1'))
  })
})
