import { describe, expect, it } from 'vitest'
import { purlOf, type Package } from '../../protocol/index.ts'
import { makePackage } from './lockfiles/make-package.ts'
import { packPackages, unpackPackages } from './package-codec.ts'

describe('packPackages / unpackPackages', () => {
  it('gives packages back with their purl, which parsers leave out and the packed bytes do not carry', () => {
    const list: Package[] = [
      makePackage('npm', '@scope/a', '1.0.0', 'package-lock.json', { groups: ['dev'] }),
      makePackage('Debian:12', 'libc6', '2.36-9+deb12u4', 'var/lib/dpkg/status'),
      makePackage('SwiftURL', 'no-purl-type', '1', 'Package.resolved'),
    ]
    expect(list.every((p) => p.purl === undefined)).toBe(true)
    const bytes = packPackages(list)
    expect(Buffer.from(bytes).includes('pkg:')).toBe(false)
    const back = unpackPackages(bytes)
    expect(back).toEqual([
      { ...list[0], purl: purlOf('npm', '@scope/a', '1.0.0') },
      { ...list[1], purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?distro=12' },
      list[2],
    ])
    expect('purl' in back[2]!).toBe(false)
  })

  it('keeps a purl a package already has (packed by an earlier version, or set by hand)', () => {
    const own: Package = { ecosystem: 'npm', name: 'x', version: '1', source: 'p', purl: 'pkg:npm/x@1?vcs_url=git' }
    expect(unpackPackages(packPackages([own]))).toEqual([own])
  })
})
