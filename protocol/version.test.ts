import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { ACCEPTS, isCompatible, PROTOCOL_VERSION, SOFTWARE_VERSION, SYNC_PROTOCOL_ID, ZEROTRACE_VERSION } from './version.ts'

describe('protocol versions', () => {
  it('ZEROTRACE_VERSION is package.json\'s version, and a version a peer may report', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(ZEROTRACE_VERSION).toBe(pkg.version)
    expect(SOFTWARE_VERSION.test(ZEROTRACE_VERSION)).toBe(true)
    for (const bad of ['', '1.0.0 <script>', 'x'.repeat(33), '1.0\n']) expect(SOFTWARE_VERSION.test(bad), bad).toBe(false)
  })

  it('we are compatible with ourselves, and the protocol id carries the version', () => {
    expect(isCompatible(PROTOCOL_VERSION, ACCEPTS)).toBe(true)
    expect(SYNC_PROTOCOL_ID).toBe(`/zerotrace/sync/${PROTOCOL_VERSION}`)
  })

  it('refuses 1.0 peers, which cannot read version 2 envelopes', () => {
    expect(isCompatible('1.0.0', '^1.0.0')).toBe(false)
    expect(isCompatible('1.1.0', '^1.0.0')).toBe(true)
  })

  it('needs both directions to hold', () => {
    expect(isCompatible('1.4.2', '^1.0.0')).toBe(true)
    expect(isCompatible('1.4.2', '>=1.2.0')).toBe(false) // they no longer accept our 1.0.0
    expect(isCompatible('2.0.0', '>=1.0.0')).toBe(false) // we do not accept their 2.0.0
    expect(isCompatible('0.9.0', '*')).toBe(false)
    expect(isCompatible('2.0.0', '^2.0.0 || ^1.0.0', { version: '2.1.0', accepts: '^2.0.0' })).toBe(true)
    expect(isCompatible('1.5.0', '^1.0.0 || ^2.0.0', { version: '2.1.0', accepts: '^2.0.0' })).toBe(false)
  })

  it('prereleases only match a range that names them', () => {
    expect(isCompatible('1.1.0-rc.1', '^1.0.0')).toBe(false)
    expect(isCompatible('1.1.0-rc.1', '^1.0.0', { version: '1.0.0', accepts: '^1.1.0-rc.0' })).toBe(true)
  })

  it('anything that is not a version or a range is false, never a throw', () => {
    for (const [v, r] of [['', '^1.0.0'], ['1.0', '^1.0.0'], ['v1.0.0', '^1.0.0'], ['=1.0.0', '^1.0.0'], [' 1.0.0', '^1.0.0'],
      ['1.0.0', 'garbage'], ['1.0.0', '^1.0.0 |'], ['1'.repeat(300), '*'], ['1.0.0', '>'.repeat(10_000)]]) {
      expect(isCompatible(v!, r!)).toBe(false)
    }
    expect(isCompatible(undefined as unknown as string, null as unknown as string)).toBe(false)
    expect(isCompatible(PROTOCOL_VERSION, '^x')).toBe(true) // x is semver's wildcard: a range after all
  })
})
