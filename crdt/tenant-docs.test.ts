// The tenant docs' accessors: statuses with expiry, comments in order, and no write when
// nothing changed (Y.Map keeps every overwritten value, so a repeat must cost nothing).
import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { addComment, agentStatusOf, commentsOf, effectiveStatus, setTriage, triageOf, updateAgentStatus } from './tenant-docs.ts'

const updatesOf = (doc: Y.Doc) => { const out: Uint8Array[] = []; doc.on('update', (u: Uint8Array) => out.push(u)); return out }

describe('tenant docs', () => {
  it('triage: set, repeat without a write, risk acceptance expires', () => {
    const doc = new Y.Doc()
    const updates = updatesOf(doc)
    expect(setTriage(doc, 'f1', { status: 'risk-accepted', until: 1000, reason: 'internal only', by: 'ana', at: 1 })).toBe(true)
    expect(setTriage(doc, 'f1', { status: 'risk-accepted', until: 1000, reason: 'internal only', by: 'bob', at: 2 })).toBe(false)
    expect(updates).toHaveLength(1)
    expect(triageOf(doc, 'f1')).toMatchObject({ status: 'risk-accepted', by: 'ana' })
    expect(effectiveStatus(triageOf(doc, 'f1'), 999)).toBe('risk-accepted')
    expect(effectiveStatus(triageOf(doc, 'f1'), 1000)).toBe('open')
    expect(effectiveStatus(undefined, 0)).toBe('open')
    expect(setTriage(doc, 'f1', { status: 'false-positive', by: 'bob', at: 3 })).toBe(true)
    expect(triageOf(doc, 'f1')).toEqual({ status: 'false-positive', by: 'bob', at: 3 })
  })

  it('comments come back in time order, per finding', () => {
    const doc = new Y.Doc()
    addComment(doc, { finding: 'f1', by: 'ana', at: 20, text: 'second' }, 'b')
    addComment(doc, { finding: 'f1', by: 'bob', at: 10, text: 'first' }, 'a')
    addComment(doc, { finding: 'f10', by: 'bob', at: 5, text: 'other finding' }, 'c')
    expect(commentsOf(doc, 'f1').map((c) => c.text)).toEqual(['first', 'second'])
  })

  it('agent status merges a patch and writes only a change', () => {
    const doc = new Y.Doc()
    const updates = updatesOf(doc)
    expect(updateAgentStatus(doc, 'a1', { name: 'build-01', online: true, lastSeen: 5 })).toBe(true)
    expect(updateAgentStatus(doc, 'a1', { online: true })).toBe(false)
    expect(updateAgentStatus(doc, 'a1', { online: false, lastSeen: 9 })).toBe(true)
    expect(updates).toHaveLength(2)
    expect(agentStatusOf(doc, 'a1')).toEqual({ name: 'build-01', online: false, lastSeen: 9 })
  })
})
