import { describe, it, expect } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { FINDINGS, findingsDoc, type Finding } from '../crdt/index.ts'
import { HubStore } from './hub-store.ts'
import { FindingsIndex } from './index/findings-index.ts'
import { IndexFeed } from './index-feed.ts'

const AGENT = '12D3KooW' + 'F'.repeat(44)
const finding = (id: string, severity: Finding['severity']): Finding => ({ id, kind: 'vuln', rule: 'GHSA-x', severity, ecosystem: 'npm', package: 'lodash', version: '4.17.20', path: 'package-lock.json', firstSeen: 1 })

describe('IndexFeed', () => {
  it('keeps keys, not values: coalesced per doc, indexed from the doc as it is when their turn comes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-feed-'))
    const store = await HubStore.open(dir)
    try {
      const index = await FindingsIndex.open(store.tenant('acme').index)
      const name = findingsDoc(AGENT)
      const doc = new Y.Doc()
      const map = doc.getMap<Finding>(FINDINGS)
      const ids = ['a', 'b', 'c'].map((c) => c.repeat(32))
      for (const id of ids) map.set(id, finding(id, 'low'))
      let loads = 0
      // The doc loads slowly: everything below is added before the first turn.
      const feed = new IndexFeed(index, async (n) => { loads++; await new Promise((r) => setTimeout(r, 20)); return n === name ? doc : undefined }, (_d, err) => { throw err })
      feed.add(name, [ids[0]!])
      feed.add(name, [ids[1]!, ids[2]!])
      feed.add(name, [ids[0]!, ids[1]!]) // the same keys again
      expect(feed.backlog).toBe(3) // the first turn took a; b and c wait once each, and a again
      map.set(ids[1]!, finding(ids[1]!, 'critical')) // changed after it was queued
      await feed.idle()
      expect(feed.backlog).toBe(0)
      expect(loads).toBe(2)
      expect((await index.get(ids[1]!))?.severity).toBe('critical')
      expect((await index.query({ filters: {}, sort: 'severity', limit: 10 })).findings.map((f) => f.id).sort()).toEqual(ids)
    } finally {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
