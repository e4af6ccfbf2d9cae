import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { conanLock, parseConanReference } from './conan-lock.ts'

const parse = (doc: unknown) => conanLock.parse(typeof doc === 'string' ? doc : JSON.stringify(doc), { path: 'conan.lock', readRelative: () => undefined })

describe('conan-lock', () => {
  it('takes name and version from every reference spelling', () => {
    expect(parseConanReference('zlib/1.2.13#13c96f538b52e1600c40b88994de240f%1667396813.733')).toEqual({ name: 'zlib', version: '1.2.13' })
    expect(parseConanReference('zlib/1.2.11@bincrafters/testing#5f49:1972#5884')).toEqual({ name: 'zlib', version: '1.2.11' })
    expect(parseConanReference('test/1.0:2ce08bf790c58b729dda567426e810ed5e35e513')).toEqual({ name: 'test', version: '1.0' })
    expect(parseConanReference('1.2.3#ffa7')).toBeUndefined()
    expect(parseConanReference('name/')).toBeUndefined()
  })

  it('reads a Conan 1 graph without the consumer node', () => {
    const pkgs = parse({
      graph_lock: {
        nodes: {
          0: { ref: 'app/1.0', path: 'conanfile.py', requires: ['1'] },
          1: { ref: 'openssl/3.1.0#abc', requires: ['2'] },
          2: { pref: 'zlib/1.3@user/stable#def:123#456' },
          3: { pref: null },
        },
      },
      version: '0.4',
    })
    expect(pkgs.map((p) => `${p.name}@${p.version}`)).toEqual(['openssl@3.1.0', 'zlib@1.3'])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'ConanCenter', name: 'openssl', version: '3.1.0' })
  })

  it('reads Conan 2 lists with their groups', () => {
    const pkgs = parse({ version: '0.5', requires: ['zlib/1.3#a%1'], build_requires: ['cmake/3.28.1#b%2'], python_requires: ['tools/1.0#c%3'] })
    expect(pkgs.map((p) => [p.name, p.groups])).toEqual([['zlib', ['requires']], ['cmake', ['build-requires']], ['tools', ['python-requires']]])
  })

  it('names files it cannot read', () => {
    const code = (doc: unknown) => { try { parse(doc) } catch (err) { return (err as LockfileError).code } }
    expect(code('{"version": ')).toBe('bad-syntax')
    expect(code({ version: '0.9' })).toBe('unsupported-version')
    expect(code({ graph_lock: {} })).toBe('bad-structure')
    expect(code({ requires: 'zlib/1.3' })).toBe('bad-structure')
  })
})
