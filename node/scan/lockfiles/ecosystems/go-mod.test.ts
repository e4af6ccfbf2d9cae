import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { goMod } from './go-mod.ts'

function parse(text: string, files: Record<string, string> = {}, path = 'svc/go.mod') {
  const asked: string[] = []
  const pkgs = goMod.parse(text, { path, readRelative: (rel) => { asked.push(rel); return files[rel] } })
  return { pkgs, asked, list: pkgs.map((p) => `${p.name}@${p.version}${p.direct === false ? ' (indirect)' : ''}`) }
}

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : 'other' }
  return undefined
}

describe('go-mod', () => {
  it('reads require lines and blocks, marks // indirect, and turns the toolchain into stdlib', () => {
    const { list, pkgs } = parse([
      'module example.com/app',
      'go 1.22.1',
      'toolchain go1.22.4',
      'require github.com/a/b v1.2.3',
      'require (',
      '\tgolang.org/x/sys v0.1.0 // indirect',
      '\t"github.com/quoted/mod" v2.0.0+incompatible',
      ')',
    ].join('\n'))
    expect(list).toEqual(['github.com/a/b@1.2.3', 'golang.org/x/sys@0.1.0 (indirect)', 'github.com/quoted/mod@2.0.0+incompatible', 'stdlib@1.22.4'])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'Go', source: 'svc/go.mod', name: 'github.com/a/b', version: '1.2.3' })
  })

  it('applies versioned and unversioned replacements, keeping local paths without a version', () => {
    const { list } = parse([
      'go 1.21',
      'require (',
      '  a.example/one v1.0.0',
      '  a.example/one v1.1.0',
      '  b.example/two v2.0.0',
      '  c.example/three v3.0.0',
      ')',
      'replace a.example/one v1.0.0 => fork.example/one v1.0.1',
      'replace b.example/two => fork.example/two v2.0.5',
      'replace (',
      '  c.example/three => ../three',
      ')',
    ].join('\n'))
    expect(list).toEqual(['fork.example/one@1.0.1', 'a.example/one@1.1.0', 'fork.example/two@2.0.5', '../three@', 'stdlib@1.21'])
  })

  it('reads go.sum beside a pre-1.17 go.mod, skipping /go.mod-only lines and duplicates', () => {
    const sum = [
      'github.com/a/b v1.2.3 h1:x=',
      'github.com/a/b v1.2.3/go.mod h1:y=',
      'github.com/only/graph v0.1.0/go.mod h1:z=',
      'github.com/t/dep v0.5.0 h1:w=',
    ].join('\n')
    const { list, asked } = parse('go 1.16\nrequire github.com/a/b v1.2.3\n', { 'go.sum': sum })
    expect(asked).toEqual(['go.sum'])
    expect(list).toEqual(['github.com/a/b@1.2.3', 'github.com/t/dep@0.5.0 (indirect)', 'stdlib@1.16'])
  })

  it('does not consult go.sum from go 1.17 on, where go.mod lists the whole build', () => {
    const { asked } = parse('go 1.17\nrequire github.com/a/b v1.2.3\n', { 'go.sum': 'x.example/y v1.0.0 h1:x=' })
    expect(asked).toEqual([])
  })

  it('strips a toolchain suffix and ignores directives that name no dependency', () => {
    const { list } = parse('go 1.23.5\ntoolchain go1.23.6-custom\ngodebug default=go1.21\nexclude x.example/y v1.0.0\nretract v1.0.0\n')
    expect(list).toEqual(['stdlib@1.23.6'])
  })

  it('names broken files as bad-syntax', () => {
    expect(codeOf(() => parse('require (\n  a.example/b v1.0.0\n'))).toBe('bad-syntax')
    expect(codeOf(() => parse('require a.example/b\n'))).toBe('bad-syntax')
    expect(codeOf(() => parse('require "a.example/b v1.0.0\n'))).toBe('bad-syntax')
    expect(codeOf(() => parse('replace a.example/b v1 v2 v3 => c\n'))).toBe('bad-syntax')
    expect(codeOf(() => parse(')\n'))).toBe('bad-syntax')
  })

  it('claims go.mod files only', () => {
    expect(goMod.matches('svc/go.mod')).toBe(true)
    expect(goMod.matches('svc\\go.mod')).toBe(true)
    expect(goMod.matches('svc/go.sum')).toBe(false)
  })
})
