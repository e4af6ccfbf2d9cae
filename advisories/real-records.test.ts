// Real records' corner cases: the Go vulndb (../shared/data/osv/go-vulndb, CC-BY-4.0) for
// SEMVER ranges, pseudo-versions, +incompatible, /vN module paths and the Go toolchain; the
// records of osv-scanner's offline-DB tests (../shared/data/osv/osv-scanner-offline-dbs,
// Apache-2.0) for Debian, Alpine, Maven, Packagist, PyPI and GIT-only entries.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Package } from '../protocol/index.ts'
import { affects } from './match.ts'
import { parseOsvRecord, type OsvRecord } from './osv.ts'
import { goSemver } from './versions/index.ts'

const OSV = join(import.meta.dirname, '../../shared/data/osv')
const GO = join(OSV, 'go-vulndb/go-vulndb-osv.jsonl')
const OFFLINE = join(OSV, 'osv-scanner-offline-dbs/osv-scanner-offline-dbs.jsonl')

function load(file: string): Map<string, OsvRecord> {
  const records = new Map<string, OsvRecord>()
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    const r = parseOsvRecord(JSON.parse(line))
    records.set(r.id, r)
  }
  return records
}

const pkg = (ecosystem: string, name: string, version: string, extra: Partial<Package> = {}): Package => ({ ecosystem, name, version, source: 'test', ...extra })

describe.skipIf(!existsSync(GO))('Go vulndb records', () => {
  const records = existsSync(GO) ? load(GO) : new Map<string, OsvRecord>()
  const fixedFor = (id: string, p: Package) => affects(records.get(id)!, p)?.fixed

  it('parse, and every SEMVER event reads as a Go version', () => {
    expect(records.size).toBe(4291)
    const unreadable = [...records.values()].flatMap((r) => r.affected.flatMap((a) => a.ranges.flatMap((g) => g.events.flatMap((e) => Object.values(e)))))
      .filter((v) => v !== '0' && !goSemver.isValid(v))
    expect(unreadable).toEqual([])
  })

  it('match the Go toolchain by release number or tag (stdlib)', () => {
    // GO-2021-0067: archive/zip, introduced 1.16.0-0, fixed 1.16.1.
    expect(fixedFor('GO-2021-0067', pkg('Go', 'stdlib', '1.16.0'))).toEqual(['1.16.1'])
    expect(fixedFor('GO-2021-0067', pkg('Go', 'stdlib', 'go1.16rc1'))).toEqual(['1.16.1'])
    expect(fixedFor('GO-2021-0067', pkg('Go', 'stdlib', 'go1.16'))).toEqual(['1.16.1'])
    expect(affects(records.get('GO-2021-0067')!, pkg('Go', 'stdlib', '1.16.1'))).toBeUndefined()
    expect(affects(records.get('GO-2021-0067')!, pkg('Go', 'stdlib', 'go1.15.9'))).toBeUndefined()
  })

  it('order pseudo-versions by their timestamp', () => {
    // GO-2021-0051: echo/v4 fixed at a pseudo-version of 4.1.18.
    expect(fixedFor('GO-2021-0051', pkg('Go', 'github.com/labstack/echo/v4', 'v4.1.17'))).toEqual(['4.1.18-0.20201215153152-4422e3b66b9f'])
    expect(fixedFor('GO-2021-0051', pkg('Go', 'github.com/labstack/echo/v4', 'v4.1.18-0.20201201000000-aaaaaaaaaaaa'))).toHaveLength(1)
    expect(affects(records.get('GO-2021-0051')!, pkg('Go', 'github.com/labstack/echo/v4', 'v4.1.18-0.20201215153152-4422e3b66b9f'))).toBeUndefined()
    expect(affects(records.get('GO-2021-0051')!, pkg('Go', 'github.com/labstack/echo/v4', 'v4.1.18'))).toBeUndefined()
  })

  it('treat +incompatible as build metadata', () => {
    // GO-2021-0072: docker/distribution fixed 2.7.0-rc.0+incompatible.
    expect(fixedFor('GO-2021-0072', pkg('Go', 'github.com/docker/distribution', 'v2.6.2+incompatible'))).toEqual(['2.7.0-rc.0+incompatible'])
    expect(affects(records.get('GO-2021-0072')!, pkg('Go', 'github.com/docker/distribution', 'v2.7.0+incompatible'))).toBeUndefined()
  })

  it('keep major-version module paths apart', () => {
    // GO-2020-0017: jwt-go is affected with no fix, jwt-go/v4 until 4.0.0-preview1.
    expect(fixedFor('GO-2020-0017', pkg('Go', 'github.com/dgrijalva/jwt-go/v4', 'v4.0.0-20190408214815-ec042acef7a9'))).toEqual(['4.0.0-preview1'])
    expect(affects(records.get('GO-2020-0017')!, pkg('Go', 'github.com/dgrijalva/jwt-go/v4', 'v4.0.0-preview1'))).toBeUndefined()
    expect(fixedFor('GO-2020-0017', pkg('Go', 'github.com/dgrijalva/jwt-go', 'v4.0.0-preview1+incompatible'))).toEqual([])
    expect(affects(records.get('GO-2020-0017')!, pkg('Go', 'github.com/dgrijalva/jwt-go/v5', 'v5.0.0'))).toBeUndefined()
  })
})

describe.skipIf(!existsSync(OFFLINE))('osv-scanner offline-DB records', () => {
  const records = existsSync(OFFLINE) ? load(OFFLINE) : new Map<string, OsvRecord>()
  const match = (id: string, p: Package) => affects(records.get(id)!, p)

  it('Debian: release-scoped, on the source package, dpkg ordering', () => {
    const libssl = pkg('Debian:9', 'libssl1.1', '1.1.0l-1~deb9u5', { sourceName: 'openssl' })
    expect(match('DLA-3008-1', libssl)?.fixed).toEqual(['1.1.0l-1~deb9u6'])
    expect(match('DLA-3008-1', { ...libssl, version: '1.1.0l-1~deb9u6' })).toBeUndefined()
    expect(match('DLA-3008-1', { ...libssl, ecosystem: 'Debian:10' })).toBeUndefined()
    expect(match('DLA-3051-1', pkg('Debian:9', 'tzdata', '2021a-0+deb9u3'))?.fixed).toEqual(['2021a-0+deb9u4'])
    expect(match('DLA-3051-1', pkg('Debian:9', 'tzdata', '2022a-0+deb9u1'))).toBeUndefined()
  })

  it('Alpine: each release has its own fix', () => {
    expect(match('ALPINE-CVE-2025-26519', pkg('Alpine:v3.17', 'musl', '1.2.3-r4'))?.fixed).toEqual(['1.2.3-r6'])
    expect(match('ALPINE-CVE-2025-26519', pkg('Alpine:v3.16', 'musl', '1.2.3-r4'))).toBeUndefined()
    expect(match('ALPINE-CVE-2025-26519', pkg('Alpine:v3.18', 'musl', '1.2.4_git20230717-r4'))).toBeUndefined()
    expect(match('ALPINE-CVE-2025-26519', pkg('Alpine:v3.18', 'musl', '1.2.4-r2'))?.fixed).toEqual(['1.2.4-r3'])
  })

  it('Maven: qualifiers, two ranges, last_affected', () => {
    const log4j = (v: string) => match('GHSA-3pxv-7cmr-fjr4', pkg('Maven', 'org.apache.logging.log4j:log4j-core', v))
    expect(log4j('2.14.1')?.fixed).toEqual(['2.25.4'])
    expect(log4j('2.0-beta9')?.fixed).toEqual(['2.25.4'])
    expect(log4j('1.2.17')).toBeUndefined()
    expect(log4j('3.0.0-beta2')).toMatchObject({ fixed: [], lastAffected: ['3.0.0-beta3'] })
    expect(log4j('3.0.0')).toBeUndefined()
    expect(match('GHSA-269g-pwp5-87pp', pkg('Maven', 'junit:junit', '4.13-rc-1'))?.fixed).toEqual(['4.13.1'])
    expect(match('GHSA-269g-pwp5-87pp', pkg('Maven', 'junit:junit', '4.13.1'))).toBeUndefined()
  })

  it('Packagist: registry-suffixed advisories, several ranges, branches', () => {
    expect(match('DRUPAL-CONTRIB-2025-083', pkg('Packagist', 'drupal/simple_sitemap', '4.2.1'))?.fixed).toEqual(['4.2.2'])
    expect(match('DRUPAL-CONTRIB-2025-083', pkg('Packagist', 'drupal/simple_sitemap', '4.2.2'))).toBeUndefined()
    expect(match('DRUPAL-CONTRIB-2025-083', pkg('Packagist', 'drupal/simple_sitemap', 'dev-4.x'))).toBeUndefined()
    const core = (v: string) => match('DRUPAL-CORE-2025-005', pkg('Packagist', 'drupal/core', v))?.fixed
    expect(core('10.4.8')).toEqual(['10.4.9'])
    expect(core('10.5.5')).toEqual(['10.5.6'])
    expect(core('v11.2.7')).toEqual(['11.2.8'])
    expect(core('10.4.9')).toBeUndefined()
    expect(core('7.100')).toBeUndefined()
  })

  it('PyPI and npm: GIT ranges beside ECOSYSTEM ones, SEMVER ranges', () => {
    expect(match('PYSEC-2023-74', pkg('PyPI', 'requests', '2.30.0'))?.fixed).toEqual(['2.31.0'])
    expect(match('PYSEC-2023-74', pkg('PyPI', 'requests', '2.31.0'))).toBeUndefined()
    expect(match('PYSEC-2021-98', pkg('PyPI', 'Django', '3.2.3'))?.fixed).toEqual(['3.2.4'])
    expect(match('GHSA-whgm-jr23-g3j9', pkg('npm', 'ansi-html', '0.0.7'))?.fixed).toEqual(['0.0.8'])
  })

  it('GIT-only entries match by versions[] alone, and package-less ones match nothing', () => {
    expect(match('OSV-2018-389', pkg('OSS-Fuzz', 'boost', 'boost-1.66.0'))).toMatchObject({ listed: true, inRange: false })
    expect(match('OSV-2018-389', pkg('OSS-Fuzz', 'boost', '1.66.0'))).toBeUndefined()
    expect(records.get('CVE-2024-51757')!.affected[0]!.package).toBeUndefined()
    expect(match('CVE-2024-51757', pkg('npm', 'anything', 'v15.10.1'))).toBeUndefined()
  })
})
