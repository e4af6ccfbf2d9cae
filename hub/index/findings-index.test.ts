// The findings index over a real LevelDB: every filter and sort agrees with a plain
// filter-and-sort of the same rows; pages chain without gaps or repeats; updates (a finding
// resolved, a severity changed) move rows and facet counts; it survives a reopen.
import { describe, it, expect, beforeEach, afterEach } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import * as Y from 'yjs'
import { FINDINGS, severityRank, type Finding, type Store } from '../../crdt/index.ts'
import { baseRisk, FindingsIndex, type FindingQuery, type FindingRow } from './findings-index.ts'

const AGENTS = ['12D3KooWAgentAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '12D3KooWAgentBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb']
const SEVS = ['critical', 'high', 'medium', 'low', 'unknown'] as const

function finding(i: number): Finding {
  return {
    id: i.toString(16).padStart(32, '0'), kind: i % 7 === 0 ? 'secret' : 'vuln', rule: `GHSA-${i % 13}`, severity: SEVS[i % 5]!, score: i % 3 === 0 ? (i % 100) / 10 : undefined,
    ecosystem: i % 2 ? 'npm' : 'PyPI', package: `pkg-${i % 17}`, version: '1.0.0', path: `svc-${i % 5}/lock`, title: i % 11 === 0 ? 'Prototype Pollution in thing' : 'x', firstSeen: 1_700_000_000_000 + i * 1000,
  }
}

let dir: string
let db: ClassicLevel<string, Uint8Array>
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'zt-idx-')); db = new ClassicLevel(dir, { valueEncoding: 'view' }) })
afterEach(async () => { await db.close(); await rm(dir, { recursive: true, force: true }) })

function docOf(findings: Finding[]): Y.Doc {
  const d = new Y.Doc()
  d.transact(() => { for (const f of findings) d.getMap(FINDINGS).set(f.id, f) })
  return d
}

async function all(idx: FindingsIndex, q: Omit<FindingQuery, 'cursor'>): Promise<FindingRow[]> {
  const out: FindingRow[] = []
  let cursor: string | undefined
  do {
    const page = await idx.query({ ...q, cursor })
    out.push(...page.findings)
    cursor = page.next
  } while (cursor)
  return out
}

function expected(rows: FindingRow[], q: FindingQuery): string[] {
  const f = rows.filter((r) => Object.entries(q.filters).every(([k, v]) => v === undefined || String((r as unknown as Record<string, unknown>)[k]) === v))
    .filter((r) => !q.q || [r.rule, r.title, r.package, r.path].some((s) => s?.toLowerCase().includes(q.q!.toLowerCase())))
  const key = (r: FindingRow) => q.sort === 'first' ? [-(r.firstSeen ?? 0), r.id] : q.sort === 'severity' ? [-severityRank(r.severity), -r.risk, r.id] : [-r.risk, r.id]
  return f.sort((a, b) => { const x = key(a), y = key(b); for (let i = 0; i < x.length; i++) if (x[i]! < y[i]!) return -1; else if (x[i]! > y[i]!) return 1; return 0 }).map((r) => r.id)
}

describe('FindingsIndex', () => {
  it('answers every filter and sort as a plain filter-and-sort would, page after page', async () => {
    const idx = await FindingsIndex.open(db as unknown as Store)
    const rows: FindingRow[] = []
    for (const [n, agent] of AGENTS.entries()) {
      const fs = Array.from({ length: 300 }, (_, i) => finding(n * 1000 + i))
      await idx.update(`findings/${agent}`, docOf(fs))
      rows.push(...fs.map((f) => ({ ...f, agent, status: 'open' as const, triage: 'open' as const, risk: baseRisk(f) })))
    }
    const queries: FindingQuery[] = [
      { filters: {} }, { filters: { severity: 'high' } }, { filters: { severity: 'critical', kind: 'vuln' } }, { filters: { agent: AGENTS[1] } },
      { filters: { package: 'pkg-3', ecosystem: 'npm' } }, { filters: {}, sort: 'severity' }, { filters: {}, sort: 'first' }, { filters: { severity: 'low' }, sort: 'first' },
      { filters: {}, q: 'prototype' }, { filters: { rule: 'GHSA-4' }, q: 'svc-2' }, { filters: { severity: 'nope' } },
    ]
    for (const q of queries) {
      for (const limit of [7, 50]) {
        const got = (await all(idx, { ...q, limit })).map((r) => r.id)
        expect(got, JSON.stringify(q)).toEqual(expected(rows, q))
      }
    }
    expect(idx.counts().severity).toEqual(Object.fromEntries(SEVS.map((s) => [s, rows.filter((r) => r.severity === s).length])))
  })

  it('fills a page of 500 from an index walk that LevelDB hands over in smaller batches', async () => {
    const idx = await FindingsIndex.open(db as unknown as Store)
    await idx.update(`findings/${AGENTS[0]}`, docOf(Array.from({ length: 2000 }, (_, i) => finding(i))))
    const page = await idx.query({ filters: { agent: AGENTS[0] }, limit: 500 })
    expect(page.findings).toHaveLength(500)
    expect(await all(idx, { filters: { agent: AGENTS[0] }, limit: 500 })).toHaveLength(2000)
  })

  it('moves a resolved or re-rated finding between indexes and counts, and reopens as it was', async () => {
    let idx = await FindingsIndex.open(db as unknown as Store)
    const doc = docOf(Array.from({ length: 20 }, (_, i) => ({ ...finding(i), severity: 'high' as const })))
    const name = `findings/${AGENTS[0]}`
    await idx.update(name, doc)
    expect(idx.counts().severity.high).toBe(20)
    const map = doc.getMap<Finding>(FINDINGS)
    const [a, b] = [finding(3).id, finding(4).id]
    map.set(a, { ...map.get(a)!, resolvedAt: 5 })
    map.set(b, { ...map.get(b)!, severity: 'critical' })
    await idx.update(name, doc, [a, b])
    expect(idx.counts().severity).toEqual({ high: 18, critical: 1 })
    expect(idx.counts().status).toEqual({ open: 19 })
    // Triage moves a row between triage values; an agent's later update keeps it.
    await idx.setTriage(new Map([[b, 'acknowledged' as const]]))
    expect(idx.counts().triage).toEqual({ open: 18, acknowledged: 1 })
    expect((await all(idx, { filters: { triage: 'acknowledged' } })).map((r) => r.id)).toEqual([b])
    map.set(b, { ...map.get(b)!, title: 'retitled' })
    await idx.update(name, doc, [b])
    expect((await idx.get(b))!.triage).toBe('acknowledged')
    expect((await all(idx, { filters: { status: 'open', severity: 'high' } })).map((r) => r.id)).not.toContain(a)
    expect((await all(idx, { filters: { status: 'resolved' } })).map((r) => r.id)).toEqual([a])
    expect((await idx.query({ filters: { severity: 'critical' } })).findings[0]!.id).toBe(b)
    expect(await idx.covers(name, doc)).toBe(true)
    // Trends: what was open at the end of each day (firstSeen is 2023-11-14 for all of them; a resolved on 2023-11-16).
    map.set(a, { ...map.get(a)!, resolvedAt: Date.parse('2023-11-16T10:00:00Z') })
    await idx.update(name, doc, [a])
    const trend = await idx.trend('2023-11-13', '2023-11-17')
    expect(trend.map((d) => [d.day, (d.open.high ?? 0) + (d.open.critical ?? 0)])).toEqual([['2023-11-13', 0], ['2023-11-14', 20], ['2023-11-15', 20], ['2023-11-16', 19], ['2023-11-17', 19]])
    map.set(finding(5).id, { ...map.get(finding(5).id)!, title: 'changed' })
    expect(await idx.covers(name, doc)).toBe(false)
    idx = await FindingsIndex.open(db as unknown as Store)
    expect(idx.counts().severity).toEqual({ high: 18, critical: 1 })
    await expect(idx.query({ filters: {}, cursor: Buffer.from('x!other').toString('base64url') })).rejects.toThrow(RangeError)
  })
})

describe('hub-found rows, enriched risk and suppressions', () => {
  it('one row per id (the agent\'s wins), risk from the given scorer, suppressed rows out of counts and trends, rescore applies a change', async () => {
    const store = db.sublevel<string, Uint8Array>('hub', { valueEncoding: 'view' }) as unknown as Store
    const boosted = new Set<string>()
    let suppressRule: string | undefined
    const fresh: string[] = []
    const idx = await FindingsIndex.open(store, {
      score: async (fs) => fs.map((f) => (boosted.has(f.rule) ? { risk: 99, kev: true } : { risk: baseRisk(f) })),
      suppression: (row) => (row.rule === suppressRule ? { statement: 's1', justification: 'component_not_present' } : undefined),
      onNew: (rows) => fresh.push(...rows.map((r) => r.id)),
    })
    const day = 1_700_000_000_000
    const a = { ...finding(1), kind: 'vuln' as const, rule: 'GHSA-a', severity: 'low' as const, score: undefined, firstSeen: day }
    const b = { ...finding(2), kind: 'vuln' as const, rule: 'GHSA-b', severity: 'critical' as const, score: undefined, firstSeen: day }
    const enrich = new Y.Doc()
    enrich.getMap('matched').set(a.id, { ...a, agent: AGENTS[1] })
    await idx.update('acme/enrich', enrich)
    await idx.update(`findings/${AGENTS[0]}`, docOf([b]))
    expect((await all(idx, { filters: {} })).map((r) => [r.id, r.source ?? 'agent'])).toEqual([[b.id, 'agent'], [a.id, 'hub']])
    // The agent reports what the hub found: still one row, now the agent's, not new again.
    await idx.update(`findings/${AGENTS[1]}`, docOf([a]))
    await idx.update('acme/enrich', enrich)
    const rows = await all(idx, { filters: {} })
    expect(rows.map((r) => [r.id, r.source ?? 'agent', r.agent])).toEqual([[b.id, 'agent', AGENTS[0]], [a.id, 'agent', AGENTS[1]]])
    expect(fresh.sort()).toEqual([a.id, b.id].sort())
    // Risk from the scorer, applied to stored rows by rescore(); suppression likewise.
    boosted.add('GHSA-a')
    suppressRule = 'GHSA-b'
    expect(await idx.rescore({ slice: 1 })).toBe(2)
    expect((await all(idx, { filters: { status: 'open' } })).map((r) => [r.id, r.risk, r.kev])).toEqual([[a.id, 99, true]])
    // Known exploited: a facet of its own, a filter, and only the KEV row carries the mark.
    expect(idx.counts().kev).toEqual({ true: 1 })
    expect((await all(idx, { filters: { kev: 'true' } })).map((r) => r.id)).toEqual([a.id])
    expect((await all(idx, { filters: { status: 'suppressed' } })).map((r) => r.id)).toEqual([b.id])
    expect(idx.counts().severity).toEqual({ low: 1 })
    const date = new Date(day).toISOString().slice(0, 10)
    expect((await idx.trend(date, date))[0]!.open).toEqual({ low: 1 })
    suppressRule = undefined
    boosted.delete('GHSA-a')
    expect(await idx.rescore()).toBe(2)
    expect(idx.counts().kev).toEqual({})
    const everything = await all(idx, { filters: {} })
    expect(everything).toHaveLength(2)
    expect(everything.some((r) => r.kev)).toBe(false)
    expect(idx.counts().severity).toEqual({ low: 1, critical: 1 })
    expect((await idx.trend(date, date))[0]!.open).toEqual({ low: 1, critical: 1 })
  })
})
