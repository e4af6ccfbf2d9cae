// The agent store's LevelDB: a scan's write stays in its memtable (no table flushed while the
// write runs), and flush() writes it out, as the agent does once idle and on close.
import { describe, expect, it } from 'vitest'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AgentStore } from './agent-store.ts'

describe('agent store', () => {
  /** Table files at every level (LevelDB may place a flushed memtable's table below level 0). */
  const tables = (s: AgentStore) => Array.from({ length: 7 }, (_, l) => Number(s.db.getProperty(`leveldb.num-files-at-level${l}`))).reduce((a, b) => a + b)
  const memory = (s: AgentStore) => Number(s.db.getProperty('leveldb.approximate-memory-usage'))

  it('keeps a scan-sized write in its memtable, and flush() writes it to a table and frees it', async () => {
    const store = await AgentStore.open(await mkdtemp(join(tmpdir(), 'zt-agent-store-')))
    // 24 MB in 1 MiB values, as a scan's envelopes come: LevelDB's default 4 MiB buffer would have flushed ~5 tables.
    const value = new Uint8Array(1024 * 1024).fill(7)
    for (let i = 0; i < 24; i++) await store.db.put(`!log!e${i}`, value)
    expect(tables(store)).toBe(0)
    expect(memory(store)).toBeGreaterThan(24 * 1024 * 1024)
    await store.flush()
    expect(tables(store)).toBe(1)
    expect(memory(store)).toBeLessThan(4 * 1024 * 1024)
    expect(Buffer.from(value).equals(Buffer.from((await store.db.get('!log!e23'))!))).toBe(true)
    // Nothing to write: a flush adds no table.
    await store.flush()
    expect(tables(store)).toBe(1)
    await store.close()
  })
})
