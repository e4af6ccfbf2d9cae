import { describe, it, expect } from 'vitest'
import type { Finding } from '../../crdt/index.ts'
import { decodeEntry, encodeEntry, type CachedFile } from './cache-entry.ts'
import { newGroupTable, type GroupTable } from './cached-findings.ts'

const table = (): GroupTable => {
  const t = newGroupTable('g1')
  t.list.push({ rule: 'GHSA-1', aliases: ['GHSA-1', 'CVE-1'], severity: 'high', score: 7.5, title: 'one', fixedIn: ['1.1'] })
  t.versions.push(['npm', 'left-pad', '1.0.0'], ['npm', 'lödash', '4.17.20'])
  return t
}
const stamp = { size: 1234, mtimeMs: 1733500000123.4567, ctimeMs: 1733500000999.25, hash: 'a'.repeat(64), count: 3, secretsScanned: true }

describe('scan cache entry', () => {
  it('gives back a file without findings, secrets, error and side files as written, stamps to the last bit', () => {
    const file: CachedFile = {
      ...stamp,
      secrets: [{ rule: 'aws', description: 'AWS key', severity: 'high', path: 'a/.env', line: 2, column: 5, preview: 'AKIA…WXYZ', hash: 'f'.repeat(64) }],
      error: 'broken: line 3',
      deps: [{ path: '/x/go.sum', size: -1, mtimeMs: -1, ctimeMs: -1 }],
    }
    expect(decodeEntry(encodeEntry(file, undefined), table())).toEqual(file)
    const plain: CachedFile = { ...stamp, secrets: [] }
    const back = decodeEntry(encodeEntry(plain, undefined), table())!
    expect(back).toEqual(plain)
    // Not looked through for secrets (a --no-secrets scan): said so, not taken for "none found".
    expect(decodeEntry(encodeEntry({ ...plain, secretsScanned: false }, undefined), table())!.secretsScanned).toBe(false)
    expect(back.mtimeMs).toBe(stamp.mtimeMs)
    expect('error' in back || 'deps' in back || 'vulns' in back).toBe(false)
    // Entries without secrets share one array, which nothing can add to.
    expect(() => back.secrets.push(file.secrets[0]!)).toThrow(TypeError)
  })

  it('gives back findings under their generation whatever the lengths before the refs (read in place, or copied)', () => {
    for (const path of ['a', 'ab/Pipfile.lock', 'äb/cé/package-lock.json', 'xyz']) {
      const ids = ['id-1', 'ïd-2', 'id-three']
      const stored: [string, number[]] = [ids.join('\n'), [0, 0, 0, 1, 0, 1]]
      const bytes = encodeEntry({ ...stamp, secrets: [] }, { generation: 'g1', agent: 'agent-ü', path, stored })
      const t = table()
      for (const shift of [0, 1, 2, 3]) {
        // The same bytes at each offset of a larger buffer: aligned refs are viewed, others copied.
        const host = Buffer.alloc(bytes.length + shift)
        host.set(bytes, shift)
        const file = decodeEntry(host.subarray(shift), t)!
        const findings = file.vulns!.findings
        expect(findings.map((f: Finding) => [f.id, f.package, f.version, f.path])).toEqual([
          ['id-1', 'left-pad', '1.0.0', path], ['ïd-2', 'lödash', '4.17.20', path], ['id-three', 'lödash', '4.17.20', path],
        ])
        expect(findings[0]!.aliases).toBe(t.list[0]!.aliases)
        expect(file.vulns!.agent).toBe('agent-ü')
      }
      expect(decodeEntry(bytes, newGroupTable('g2'))!.vulns).toBeUndefined()
      expect(decodeEntry(bytes, undefined)!.vulns).toBeUndefined()
      // A ref past the table's end: the findings are matched again, the file itself still holds.
      const short = newGroupTable('g1')
      short.list.push(t.list[0]!)
      short.versions.push(t.versions[0]!)
      expect(decodeEntry(bytes, short)).toMatchObject({ size: 1234, count: 3 })
      expect(decodeEntry(bytes, short)!.vulns).toBeUndefined()
    }
  })

  it('reads no other layout, and throws on a damaged entry', () => {
    const bytes = encodeEntry({ ...stamp, secrets: [] }, { generation: 'g1', agent: '', path: 'p', stored: ['i1\ni2', [0, 0, 0, 1]] })
    expect(decodeEntry(new Uint8Array([5, 1, 2, 3]), table())).toBeUndefined()
    // Format 6 (before the secrets flag) is not read: such a file is read again.
    expect(decodeEntry(Uint8Array.of(6, ...bytes.subarray(1)), table())).toBeUndefined()
    expect(decodeEntry(new Uint8Array(0), table())).toBeUndefined()
    expect(() => decodeEntry(bytes.subarray(0, bytes.length - 4), table())).toThrow(RangeError)
    expect(() => decodeEntry(bytes.subarray(0, 40), table())).toThrow(RangeError)
  })
})
