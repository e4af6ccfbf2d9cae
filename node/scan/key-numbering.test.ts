import { describe, it, expect } from 'vitest'
import type { Package } from '../../protocol/index.ts'
import { KeyNumbering } from './key-numbering.ts'
import { matchKey, packageOfKey } from './package-codec.ts'

const pkg = (name: string, version: string, extra: Partial<Package> = {}): Package => ({ ecosystem: 'npm', name, version, source: 'package-lock.json', ...extra })

describe('KeyNumbering', () => {
  it('lists a file\'s distinct keys in first-seen order with their numbers; a key keeps its number across files', () => {
    const n = new KeyNumbering()
    const a = n.keysOf([pkg('a', '1'), pkg('b', '2'), pkg('a', '1'), pkg('c', '3', { sourceName: 'c-src' })])
    expect(a.keys).toBe([matchKey(pkg('a', '1')), matchKey(pkg('b', '2')), matchKey(pkg('c', '3', { sourceName: 'c-src' }))].join('\n'))
    expect([...a.ids]).toEqual([0, 1, 2])
    expect(n.takeFresh()).toEqual(a.keys.split('\n'))

    const b = n.keysOf([pkg('d', '4'), pkg('b', '2'), pkg('d', '4'), pkg('a', '1')])
    expect(b.keys.split('\n').map((k) => packageOfKey(k, '').name)).toEqual(['d', 'b', 'a'])
    expect([...b.ids]).toEqual([3, 1, 0])
    // Only what the receiver has not been sent yet, in number order: its table stays aligned.
    expect(n.takeFresh()).toEqual([matchKey(pkg('d', '4'))])
    expect(n.takeFresh()).toEqual([])
  })

  it('a file without packages has no keys', () => {
    const r = new KeyNumbering().keysOf([])
    expect(r.keys).toBe('')
    expect(r.ids.length).toBe(0)
  })
})
