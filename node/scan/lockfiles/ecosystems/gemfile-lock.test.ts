import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { gemfileLock } from './gemfile-lock.ts'

const parse = (text: string) => gemfileLock.parse(text, { path: 'app/Gemfile.lock', readRelative: () => undefined })

const LOCK = `GIT
  remote: https://github.com/o/forked.git
  revision: 027dbe2e56397b534e859fc283990cad1b6addd6
  specs:
    forked (2.0.0.alpha1)
      rack (~> 2.0)

PATH
  remote: vendor/local
  specs:
    local-gem (0.1.0)

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.13.3-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.13.3-x86_64-linux)
      racc (~> 1.4)
    racc (1.6.0)
    rack (2.2.3)
    broken-spec

PLATFORMS
  arm64-darwin
  x86_64-linux

DEPENDENCIES
  forked!
  nokogiri (~> 1.13)

CHECKSUMS
  rack (2.2.3) sha256=abc

BUNDLED WITH
   2.5.0
`

describe('gemfile-lock', () => {
  it('reads every source section, drops platform suffixes once, and marks direct gems', () => {
    const pkgs = parse(LOCK)
    expect(pkgs.map((p) => `${p.name}@${p.version}${p.direct ? ' direct' : ''}`)).toEqual([
      'forked@2.0.0.alpha1 direct', 'local-gem@0.1.0', 'nokogiri@1.13.3 direct', 'racc@1.6.0', 'rack@2.2.3',
    ])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'RubyGems', commit: '027dbe2e56397b534e859fc283990cad1b6addd6' })
    expect(pkgs[1]!.commit).toBeUndefined()
  })

  it('reads CRLF files', () => {
    expect(parse(LOCK.replaceAll('\n', '\r\n')).map((p) => p.name)).toContain('rack')
  })

  it('names unindented text that is no section header as bad-syntax (e.g. merge conflicts)', () => {
    try {
      parse('GEM\n  specs:\n<<<<<<< HEAD\n    rack (2.2.3)\n')
      expect.unreachable()
    } catch (err) {
      expect((err as LockfileError).code).toBe('bad-syntax')
    }
  })

  it('claims Gemfile.lock and gems.locked', () => {
    expect(gemfileLock.matches('a/Gemfile.lock')).toBe(true)
    expect(gemfileLock.matches('a/gems.locked')).toBe(true)
    expect(gemfileLock.matches('a/Gemfile')).toBe(false)
  })
})
