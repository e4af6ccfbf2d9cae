import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { changeOf } from './author-doc.ts'
import { advisoryScores, deleteFindingEnrichment, findingEnrichment, setAdvisoryScores, setFindingEnrichment } from './enrich-doc.ts'
import { DocValueError } from './errors.ts'

const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof DocValueError) return err.code; throw err } }

describe('<tenant>/enrich', () => {
  it('stores scores per advisory, newest CVSS first, and rewrites nothing unchanged', () => {
    const doc = new Y.Doc()
    const scores = {
      cvss: [{ version: '3.1' as const, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 }, { version: '4.0' as const, vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', score: 9.3 }],
      epss: { probability: 0.94, percentile: 0.99, date: '2026-11-20' },
      kev: { dateAdded: '2026-01-05', knownRansomware: true },
    }
    expect(changeOf(doc, () => expect(setAdvisoryScores(doc, 'CVE-2026-1', scores, 1000)).toBe(true))).toBeDefined()
    expect(advisoryScores(doc, 'CVE-2026-1')).toEqual({ ...scores, cvss: [scores.cvss[1], scores.cvss[0]], updatedAt: 1000 })
    // The same scores later (in another order): no write, no update, updatedAt stays.
    expect(changeOf(doc, () => expect(setAdvisoryScores(doc, 'CVE-2026-1', { ...scores, cvss: [...scores.cvss].reverse() }, 2000)).toBe(false))).toBeUndefined()
    expect(advisoryScores(doc, 'CVE-2026-1')!.updatedAt).toBe(1000)
    // A new EPSS day is a change.
    setAdvisoryScores(doc, 'CVE-2026-1', { ...scores, epss: { ...scores.epss, date: '2026-11-21' } }, 3000)
    expect(advisoryScores(doc, 'CVE-2026-1')).toMatchObject({ epss: { date: '2026-11-21' }, updatedAt: 3000 })
  })

  it('stores a finding\'s risk and fix versions; unchanged is not written, deleted is gone', () => {
    const doc = new Y.Doc()
    setFindingEnrichment(doc, 'f1', { risk: 87, severity: 'critical', fixedIn: ['1.2.3'], reasons: ['in KEV'] }, 10)
    expect(findingEnrichment(doc, 'f1')).toEqual({ risk: 87, severity: 'critical', fixedIn: ['1.2.3'], reasons: ['in KEV'], updatedAt: 10 })
    expect(changeOf(doc, () => setFindingEnrichment(doc, 'f1', { risk: 87, severity: 'critical', fixedIn: ['1.2.3'], reasons: ['in KEV'] }, 20))).toBeUndefined()
    // Empty lists are absent, not [] (so "no fix known" has one form).
    setFindingEnrichment(doc, 'f1', { risk: 40, fixedIn: [] }, 30)
    expect(findingEnrichment(doc, 'f1')).toEqual({ risk: 40, updatedAt: 30 })
    expect(deleteFindingEnrichment(doc, 'f1')).toBe(true)
    expect(deleteFindingEnrichment(doc, 'f1')).toBe(false)
    expect(findingEnrichment(doc, 'f1')).toBeUndefined()
  })

  it('refuses values outside the schema and writes nothing', () => {
    const doc = new Y.Doc()
    expect(code(() => setAdvisoryScores(doc, 'A', { cvss: [{ version: '3.1', vector: 'x', score: 11 }] }, 1))).toBe('bad-value')
    expect(code(() => setAdvisoryScores(doc, 'A', { cvss: [{ version: '5.0' as '4.0', vector: 'x', score: 5 }] }, 1))).toBe('bad-value')
    expect(code(() => setAdvisoryScores(doc, 'A', { epss: { probability: 1.5, percentile: 0.5, date: '2026-01-01' } }, 1))).toBe('bad-value')
    expect(code(() => setAdvisoryScores(doc, 'A', { kev: { dateAdded: 'yesterday' } }, 1))).toBe('bad-value')
    expect(code(() => setFindingEnrichment(doc, 'f', { risk: -1 }, 1))).toBe('bad-value')
    expect(code(() => setFindingEnrichment(doc, 'f', { risk: 5, severity: 'dire' as 'high' }, 1))).toBe('bad-value')
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(new Y.Doc()))
  })
})

describe('<tenant>/enrich matched findings', () => {
  it('keeps a hub-found finding with its agent, rewrites nothing unchanged, refuses a bad one', async () => {
    const { setMatchedFinding, matchedFindings } = await import('./enrich-doc.ts')
    const doc = new Y.Doc()
    const f = { id: 'a'.repeat(32), kind: 'vuln' as const, rule: 'GHSA-x', severity: 'high' as const, path: 'p', agent: '12D3KooWx', firstSeen: 1, fixedIn: undefined }
    expect(setMatchedFinding(doc, f)).toBe(true)
    expect(changeOf(doc, () => expect(setMatchedFinding(doc, { ...f })).toBe(false))).toBeUndefined()
    expect(matchedFindings(doc).get(f.id)).toEqual({ id: f.id, kind: 'vuln', rule: 'GHSA-x', severity: 'high', path: 'p', agent: '12D3KooWx', firstSeen: 1 })
    expect(setMatchedFinding(doc, { ...f, resolvedAt: 5 })).toBe(true)
    expect(code(() => setMatchedFinding(doc, { ...f, id: 'nope' }))).toBe('bad-value')
    expect(code(() => setMatchedFinding(doc, { ...f, agent: '' }))).toBe('bad-value')
  })
})
