import { beforeAll, describe, expect, it } from 'vitest'
import { MemoryLevel } from 'memory-level'
import * as Y from 'yjs'
import { deltaOf, openAuthorDoc } from './author-doc.ts'
import { clientIdOf } from './client-id.ts'
import { findingsDoc } from './doc-names.ts'
import type { Envelope } from '../protocol/index.ts'
import { buildEnvelope, hashOf, type Author, type ChainHead } from './envelope.ts'
import { EnvelopeLog, type EnvelopeLogOptions, type Store } from './envelope-log.ts'
import { EnvelopeError } from './errors.ts'
import { newAuthor } from './test-authors.test-data.ts'
import { checkUpdate } from './update-check.ts'
import { READS_BUT_FAILS } from '../test/bad-updates.ts'

let alice: Author
let bob: Author
beforeAll(async () => { alice = await newAuthor(); bob = await newAuthor() })


/** Waits (turns of the event loop, up to 5 s) until `ok` holds. */
async function until(ok: () => boolean): Promise<void> {
  const t0 = Date.now()
  while (!ok()) {
    if (Date.now() - t0 > 5000) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

function setup(opts: EnvelopeLogOptions = {}) {
  const db = new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }) as unknown as Store
  const failed: { env: Envelope, err: EnvelopeError }[] = []
  const log = new EnvelopeLog(db, { applyBehind: true, onApplyFailed: (env, err) => failed.push({ env, err }), ...opts })
  const observed: string[][] = []
  const policy = { rights: { hubs: new Set<string>() }, observe: (_doc: Y.Doc, changed: Map<string, Set<string>>) => { observed.push([...changed.get('findings') ?? []]) } }
  return { db, log, failed, observed, policy }
}

/** Alice's envelopes on her findings doc: each adds the given finding, or carries the given raw payload. */
function envelopes(author: Author, items: (string | Uint8Array)[], head?: ChainHead, doc = openAuthorDoc(author.peerId)): Envelope[] {
  const out: Envelope[] = []
  for (const item of items) {
    const update = typeof item === 'string' ? deltaOf(doc, () => doc.getMap('findings').set(item, { id: item, severity: 'high' }))! : item
    const env = buildEnvelope(author, findingsDoc(author.peerId), 'yjs', update, head, 1_700_000_000_000 + out.length)
    head = { seq: env.seq, hash: hashOf(env) }
    out.push(env)
  }
  return out
}

const keysOf = (state: Uint8Array | undefined) => {
  const y = new Y.Doc()
  if (state) Y.applyUpdate(y, state)
  return [...y.getMap('findings').keys()].sort()
}

describe('envelope log applying behind', () => {
  it('stores and answers before it applies; applies while idle, telling the observer what each envelope changed', async () => {
    const { log, observed, policy } = setup()
    for (const env of envelopes(alice, ['f1', 'f2', 'f3'])) expect(await log.append(env.bytes, policy)).toBe('stored')
    expect(observed).toEqual([])
    expect(await log.haveVector()).toEqual({ [findingsDoc(alice.peerId)]: { [alice.peerId]: 3 } })
    await until(() => observed.length === 3)
    expect(observed).toEqual([['f1'], ['f2'], ['f3']])
  })

  it('hands a reader the doc with everything stored applied, observed once each', async () => {
    const { log, observed, policy } = setup()
    const envs = envelopes(alice, ['f1', 'f2'])
    expect(await log.appendMany(envs.map((e) => e.bytes), policy)).toEqual(['stored', 'stored'])
    expect(keysOf(await log.state(findingsDoc(alice.peerId)))).toEqual(['f1', 'f2'])
    expect(observed).toEqual([['f1'], ['f2']])
    await new Promise((r) => setTimeout(r, 50))
    expect(observed).toHaveLength(2)
  })

  it('hands an observer that asks for the doc as applied what is applied, leaving the rest to its turn', async () => {
    const { log, observed, policy } = setup({ busy: () => true })
    for (const env of envelopes(alice, ['f1', 'f2'])) await log.append(env.bytes, policy)
    const doc = findingsDoc(alice.peerId)
    expect((await log.doc(doc, { applied: true }))!.getMap('findings').size).toBe(0)
    expect(observed).toEqual([])
    expect([...(await log.doc(doc))!.getMap('findings').keys()].sort()).toEqual(['f1', 'f2'])
    expect(observed).toEqual([['f1'], ['f2']])
  })

  it('refuses an envelope whose update does not read, storing nothing', async () => {
    const { log, policy } = setup()
    const [bad] = envelopes(alice, [READS_BUT_FAILS.subarray(0, 20)])
    await expect(log.append(bad!.bytes, policy)).rejects.toMatchObject({ code: 'bad-payload' })
    expect(await log.haveVector()).toEqual({})
  })

  it('takes out again an envelope that reads but does not apply, with what its author stored after it, and takes a good one in its place', async () => {
    expect(() => checkUpdate(READS_BUT_FAILS)).not.toThrow()
    expect(() => Y.applyUpdate(new Y.Doc(), READS_BUT_FAILS)).toThrow()
    const { log, failed, observed, policy } = setup()
    const [e1, bad, e3] = envelopes(alice, ['f1', READS_BUT_FAILS, 'f3'])
    for (const env of [e1!, bad!, e3!]) expect(await log.append(env.bytes, policy)).toBe('stored')
    await until(() => failed.length > 0)
    expect(failed.map(({ env, err }) => [env.seq, err.code])).toEqual([[2, 'bad-payload']])
    const doc = findingsDoc(alice.peerId)
    expect(await log.haveVector()).toEqual({ [doc]: { [alice.peerId]: 1 } })
    expect(keysOf(await log.state(doc))).toEqual(['f1'])
    expect(observed).toEqual([['f1']])
    // Written again on the doc as the hub now has it: f1 alone.
    const holding = openAuthorDoc(alice.peerId)
    Y.applyUpdate(holding, e1!.payload)
    holding.clientID = clientIdOf(alice.peerId) // Yjs took a new one on seeing its own structs arrive
    const [again] = envelopes(alice, ['f2'], { seq: 1, hash: hashOf(e1!) }, holding)
    expect(await log.append(again!.bytes, policy)).toBe('stored')
    expect(keysOf(await log.state(doc))).toEqual(['f1', 'f2'])
  })

  it('lets at most behindAtMostBytes wait: past that, an append applies first', async () => {
    const { log, observed, policy } = setup({ behindAtMostBytes: 1 })
    const envs = envelopes(alice, ['f1', 'f2', 'f3'])
    for (const env of envs) await log.append(env.bytes, policy)
    // Each append found the one before waiting, over the bound, and applied it first.
    expect(observed).toEqual([['f1'], ['f2']])
  })

  it('lets at most behindAtMostDocs docs wait: an append for one more applies the oldest first', async () => {
    const { log, observed, policy } = setup({ behindAtMostDocs: 1 })
    const [a1, a2] = envelopes(alice, ['a1', 'a2'])
    const [b1] = envelopes(bob, ['b1'])
    await log.append(a1!.bytes, policy)
    await log.append(b1!.bytes, policy)
    expect(observed).toEqual([])
    await log.append(a2!.bytes, policy)
    expect(observed).toEqual([['a1']])
  })

  it('applies nothing behind while its owner says envelopes stream in, unless past the bound', async () => {
    let busy = true
    const { log, observed, policy } = setup({ busy: () => busy })
    for (const env of envelopes(alice, ['f1', 'f2'])) await log.append(env.bytes, policy)
    await new Promise((r) => setTimeout(r, 100))
    expect(observed).toEqual([])
    busy = false
    await until(() => observed.length === 2)
    expect(observed).toEqual([['f1'], ['f2']])
  })

  it('holds back applying while full envelopes stream in, and applies once they stop', async () => {
    // Every envelope counts as full here (a large write's, ~1 MiB, in the log's own setting).
    const { log, observed, policy } = setup({ fullBytes: 1 })
    for (const env of envelopes(alice, ['f1', 'f2'])) await log.append(env.bytes, policy)
    await new Promise((r) => setTimeout(r, 20))
    expect(observed).toEqual([])
    await until(() => observed.length === 2)
    expect(observed).toEqual([['f1'], ['f2']])
  })

  it('leaves nothing behind across a restart: a new log over the store materializes what was stored and not yet applied', async () => {
    const { db, log, policy } = setup()
    for (const env of envelopes(alice, ['f1', 'f2'])) await log.append(env.bytes, policy)
    const again = new EnvelopeLog(db, { applyBehind: true })
    expect(keysOf(await again.state(findingsDoc(alice.peerId)))).toEqual(['f1', 'f2'])
  })
})
