import { describe, it, expect } from 'vitest'
import { MemoryLevel } from 'memory-level'
import type { JsonLevel } from './json-level.ts'
import { Sessions, secretHash, type SessionRecord } from './sessions.ts'
import { ApiTokens, type TokenRecord } from './api-tokens.ts'

const levelOf = <V>(db: MemoryLevel<string, string>, name: string) => db.sublevel<string, V>(name, { valueEncoding: 'json' }) as unknown as JsonLevel<V>

describe('Sessions', () => {
  it('are stored by hash, survive a reopen, and end at their expiry', async () => {
    const db = new MemoryLevel<string, string>()
    let now = 1_000
    const sessions = await Sessions.open(levelOf<SessionRecord>(db, 's'), { ttlMs: 60_000 }, { now: () => now })
    const { secret, record } = await sessions.create('vera')
    expect(record).toMatchObject({ user: 'vera', expires: 61_000 })
    const keys: string[] = []
    for await (const [k, v] of db.iterator()) { keys.push(k); expect(v).not.toContain(secret) }
    expect(keys).toEqual([`!s!${secretHash(secret)}`])

    const reopened = await Sessions.open(levelOf<SessionRecord>(db, 's'), { ttlMs: 60_000 }, { now: () => now })
    expect(reopened.get(secret)).toMatchObject({ user: 'vera', csrf: record.csrf })
    expect(reopened.get(secret + 'x')).toBeUndefined()
    now = 60_999
    expect(reopened.get(secret)).toBeDefined()
    now = 61_000
    expect(reopened.get(secret)).toBeUndefined()
    // Expired sessions are dropped from the store at open.
    await Sessions.open(levelOf<SessionRecord>(db, 's'), {}, { now: () => now })
    expect(await db.keys().all()).toEqual([])
  })

  it('keep at most 20 per user, ending the oldest', async () => {
    let now = 0
    const sessions = await Sessions.open(levelOf<SessionRecord>(new MemoryLevel<string, string>(), 's'), {}, { now: () => now++ })
    const made = []
    for (let i = 0; i < 25; i++) made.push((await sessions.create('vera')).secret)
    const other = (await sessions.create('adam')).secret
    expect(made.map((s) => sessions.get(s) !== undefined)).toEqual([...Array(5).fill(false), ...Array(20).fill(true)])
    expect(sessions.get(other)).toBeDefined()
  })
})

describe('ApiTokens', () => {
  it('find only a whole token, note the last use, and write it at most once a minute', async () => {
    const db = new MemoryLevel<string, string>()
    let now = 0
    const tokens = await ApiTokens.open(levelOf<TokenRecord>(db, 't'), { now: () => now })
    const { token, view } = await tokens.create('vera', 'ci')
    expect(tokens.find(token.slice(0, -1))).toBeUndefined()
    expect(tokens.find(token.replace('ztk_', 'ztx_'))).toBeUndefined()
    now = 5_000
    expect(tokens.find(token)).toMatchObject({ id: view.id, owner: 'vera', lastUsed: 5_000 })
    now = 30_000
    tokens.find(token)
    await new Promise((r) => setTimeout(r, 10))
    const stored = () => db.sublevel<string, TokenRecord>('t', { valueEncoding: 'json' }).values().all()
    expect((await stored())[0]!.lastUsed).toBe(5_000)
    now = 65_000
    tokens.find(token)
    await new Promise((r) => setTimeout(r, 10))
    expect((await stored())[0]!.lastUsed).toBe(65_000)
    expect(tokens.list('vera')[0]!.lastUsed).toBe(new Date(65_000).toISOString())
  })
})
