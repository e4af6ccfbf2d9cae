import { describe, expect, it } from 'vitest'
import { dpkgStatus } from './dpkg-status.ts'

const STATUS = `Package: libc6
Status: install ok installed
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library
 continuation: Package: not-a-field

Package: dmeventd
Status: install ok installed
Source: lvm2 (2.03.16-2)
Version: 2:1.02.185-2

Package: removed
Status: deinstall ok config-files
Version: 1.0

Package: half
Status: install reinstreq half-installed
Version: 1.0

Package: unpacked
Status: install ok unpacked
Version: 1.0

Package: triggered
Status: install ok triggers-pending
Version: 3.0

Package: bash
Status: install ok installed
Version: 5.2.15-2+b2
\t
Package: after-blank-line
Status: install ok installed
`

function parse(text: string, path = 'var/lib/dpkg/status', files: Record<string, string> = {}) {
  const asked: string[] = []
  const pkgs = dpkgStatus.parse(text, { path, readRelative: (rel) => { asked.push(rel); return files[rel] } })
  return { pkgs, asked }
}

describe('dpkg-status', () => {
  it('reads installed packages with their source package and the release from os-release', () => {
    const { pkgs } = parse(STATUS, 'var/lib/dpkg/status', { '../../../etc/os-release': 'ID=debian\nVERSION_ID="12"\n' })
    expect(pkgs.map((p) => [p.name, p.version, p.sourceName, p.sourceVersion])).toEqual([
      ['libc6', '2.36-9+deb12u4', 'glibc', undefined],
      ['dmeventd', '2:1.02.185-2', 'lvm2', '2.03.16-2'],
      ['triggered', '3.0', 'triggered', undefined],
      ['bash', '5.2.15-2+b2', 'bash', undefined],
      ['after-blank-line', '', 'after-blank-line', undefined],
    ])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'Debian:12', name: 'libc6', version: '2.36-9+deb12u4', source: 'var/lib/dpkg/status' })
  })

  it('reads CRLF files alike', () => {
    expect(parse(STATUS.replaceAll('\n', '\r\n')).pkgs.map((p) => p.name)).toEqual(['libc6', 'dmeventd', 'triggered', 'bash', 'after-blank-line'])
  })

  it('falls back to usr/lib/os-release, then to plain Debian', () => {
    const ubuntu = parse('Package: a\nStatus: install ok installed\nVersion: 1\n', 'var/lib/dpkg/status', { '../../../usr/lib/os-release': 'ID=ubuntu\nVERSION_ID="22.04"\n' })
    expect(ubuntu.pkgs[0]!.ecosystem).toBe('Ubuntu:22.04')
    expect(ubuntu.asked).toEqual(['../../../etc/os-release', '../../../usr/lib/os-release'])
    expect(parse('Package: a\nStatus: install ok installed\nVersion: 1\n').pkgs[0]!.ecosystem).toBe('Debian')
  })

  it('looks one directory further up from a distroless status.d/ file', () => {
    const { pkgs, asked } = parse('Package: base-files\nStatus: install ok installed\nVersion: 12.4\n', 'rootfs/var/lib/dpkg/status.d/base-files', { '../../../../etc/os-release': 'ID=debian\nVERSION_ID="12"\n' })
    expect(asked[0]).toBe('../../../../etc/os-release')
    expect(pkgs[0]!.ecosystem).toBe('Debian:12')
  })

  it('yields nothing for text that holds no installed stanza', () => {
    expect(parse('Not a dpkg status file!\n\nfoo==1.0\n').pkgs).toEqual([])
  })

  it('claims the status database and status.d stanzas, not their checksums', () => {
    expect(dpkgStatus.matches('var/lib/dpkg/status')).toBe(true)
    expect(dpkgStatus.matches('images/x/var/lib/dpkg/status')).toBe(true)
    expect(dpkgStatus.matches('var\\lib\\dpkg\\status')).toBe(true)
    expect(dpkgStatus.matches('var/lib/dpkg/status.d/libc6')).toBe(true)
    expect(dpkgStatus.matches('var/lib/dpkg/status.d/libc6.md5sums')).toBe(false)
    expect(dpkgStatus.matches('var/lib/dpkg/status-old')).toBe(false)
    expect(dpkgStatus.matches('docs/status')).toBe(false)
  })
})
