import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import type { Package } from '../protocol/index.ts'
import { deltaOf, openAuthorDoc } from './author-doc.ts'
import type { Finding } from './finding.ts'
import { findingChanges, FINDINGS, PACKAGES, writeFindings, writeInventory, writeScanRecord } from './scan-docs.ts'

const AGENT = '12D3KooWRZkujJ11mkV4rjUo6BA6ag2Gx1njVYRWmNswesUbn3VT'
const finding = (i: number, over: Partial<Finding> = {}): Finding => ({ id: `id${i}`, kind: 'vuln', rule: `GHSA-${i}`, severity: 'high', package: `p${i}`, version: '1.0.0', fixedIn: ['1.0.1'], path: 'package-lock.json', ...over })
const pkg = (i: number): Package => ({ ecosystem: 'npm', name: `p${i}`, version: '1.0.0', source: 'package-lock.json' })

function scan(doc: Y.Doc, findings: Finding[], packages: Package[], now: number) {
  return deltaOf(doc, () => { writeFindings(doc, findings, now); writeInventory(doc, packages); writeScanRecord(doc, { at: now, findings: findings.length, packages: packages.length }) })
}

describe('scan → docs', () => {
  it('a rescan with nothing new appends at most 1 KiB, even over many findings', () => {
    const doc = openAuthorDoc(AGENT)
    const findings = Array.from({ length: 5000 }, (_, i) => finding(i))
    const packages = Array.from({ length: 5000 }, (_, i) => pkg(i))
    const first = scan(doc, findings, packages, 1000)!
    expect(first.length).toBeGreaterThan(100_000)
    const again = scan(doc, findings, packages, 2000)!
    expect(again.length).toBeLessThanOrEqual(1024)
    const map = doc.getMap<Finding>(FINDINGS)
    expect(map.get('id7')).toMatchObject({ firstSeen: 1000 })
  })

  it('records resolved, reopened and changed findings, and removed packages', () => {
    const doc = openAuthorDoc(AGENT)
    scan(doc, [finding(1), finding(2)], [pkg(1), pkg(2)], 1000)
    scan(doc, [finding(1, { severity: 'critical' })], [pkg(1)], 2000)
    const map = doc.getMap<Finding>(FINDINGS)
    expect(map.get('id1')).toMatchObject({ severity: 'critical', firstSeen: 1000 })
    expect(map.get('id1')!.resolvedAt).toBeUndefined()
    expect(map.get('id2')).toMatchObject({ resolvedAt: 2000, firstSeen: 1000 })
    expect([...doc.getMap(PACKAGES).keys()]).toHaveLength(1)
    scan(doc, [finding(1, { severity: 'critical' }), finding(2)], [pkg(1)], 3000)
    expect(map.get('id2')!.resolvedAt).toBeUndefined()
    expect(map.get('id2')!.firstSeen).toBe(1000)
  })

  it('stores a finding as its defined fields in its own order, then firstSeen; never its resolvedAt', () => {
    const doc = openAuthorDoc(AGENT)
    const plain = finding(1)
    const odd = { ...finding(2), line: undefined, resolvedAt: 5, firstSeen: 7 } as Finding
    const stored = new Map(findingChanges(doc, [plain, odd], 1000))
    expect(Object.keys(stored.get('id1')!)).toEqual([...Object.keys(plain), 'firstSeen'])
    expect(stored.get('id1')).toEqual({ ...plain, firstSeen: 1000 })
    expect(Object.keys(stored.get('id2')!)).toEqual([...Object.keys(finding(2)), 'firstSeen'])
    expect(stored.get('id2')).toEqual({ ...finding(2), firstSeen: 1000 })
  })

  it('uses one fixed client id across restarts (no new client per process)', () => {
    const doc = openAuthorDoc(AGENT)
    scan(doc, [finding(1)], [], 1)
    const restarted = openAuthorDoc(AGENT, Y.encodeStateAsUpdate(doc))
    scan(restarted, [finding(1), finding(2)], [], 2)
    expect(Y.decodeStateVector(Y.encodeStateVector(restarted)).size).toBe(1)
  })
})
