import { describe, expect, it } from 'vitest'
import { apkInstalled } from './apk-installed.ts'

const DB = `C:Q1Ef3iwt+cMdGngEgaFr2URIJhKzQ=
P:libcrypto3
V:3.3.2-r0
A:x86_64
o:openssl
F:usr/lib
R:libcrypto.so.3

P:busybox
V:1.36.1-r29
o:busybox

o:orphan
V:1.0-r0
`

function parse(text: string, files: Record<string, string> = {}) {
  return apkInstalled.parse(text, { path: 'lib/apk/db/installed', readRelative: (rel) => files[rel] })
}

describe('apk-installed', () => {
  it('reads packages with their origin and the release from etc/alpine-release', () => {
    const pkgs = parse(DB, { '../../../etc/alpine-release': '3.20.3\n' })
    expect(pkgs.map((p) => [p.name, p.version, p.sourceName])).toEqual([
      ['libcrypto3', '3.3.2-r0', 'openssl'], ['busybox', '1.36.1-r29', 'busybox'], ['orphan', '1.0-r0', 'orphan'],
    ])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'Alpine:v3.20', name: 'libcrypto3', version: '3.3.2-r0' })
  })

  it('says plain Alpine when the release is unknown, and reads CRLF alike', () => {
    const pkgs = parse(DB.replaceAll('\n', '\r\n'))
    expect(pkgs.map((p) => `${p.ecosystem} ${p.name}@${p.version}`)).toEqual(['Alpine libcrypto3@3.3.2-r0', 'Alpine busybox@1.36.1-r29', 'Alpine orphan@1.0-r0'])
  })

  it('claims lib/apk/db/installed only', () => {
    expect(apkInstalled.matches('lib/apk/db/installed')).toBe(true)
    expect(apkInstalled.matches('rootfs/lib/apk/db/installed')).toBe(true)
    expect(apkInstalled.matches('lib/apk/db/triggers')).toBe(false)
  })
})
