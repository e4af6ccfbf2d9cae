import { describe, expect, it } from 'vitest'
import { IndexSignal, SIGNAL_AGENTS, SIGNAL_MS, type IndexState } from './index-signal.ts'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('IndexSignal', () => {
  it('merges the changes of a burst into one state naming every agent, at most once per interval', async () => {
    const signal = new IndexSignal()
    const seen: IndexState[] = []
    signal.subscribe((s) => seen.push(s))
    expect(signal.state()).toEqual({ index: { version: 0, agents: [] } })
    let first!: () => void
    const published = new Promise<void>((r) => { first = r })
    const off = signal.subscribe(() => first())
    signal.changed(['a'])
    signal.changed(['b', 'a'])
    await published
    off()
    expect(seen).toEqual([{ index: { version: 1, agents: ['a', 'b'] } }])
    signal.changed(['c'])
    await wait(5)
    expect(seen).toHaveLength(1) // the interval since the last state has not passed
    await wait(SIGNAL_MS + 30)
    expect(seen.at(-1)).toEqual({ index: { version: 2, agents: ['c'] } })
    signal.close()
  })

  it('says "many" (null) rather than listing more than SIGNAL_AGENTS agents', async () => {
    const signal = new IndexSignal()
    signal.changed(Array.from({ length: SIGNAL_AGENTS + 1 }, (_, i) => `agent-${i}`))
    await wait(SIGNAL_MS + 30)
    expect(signal.state()).toEqual({ index: { version: 1, agents: null } })
    signal.changed(['x'])
    await wait(SIGNAL_MS + 30)
    expect(signal.state()).toEqual({ index: { version: 2, agents: ['x'] } })
    signal.close()
  })
})
