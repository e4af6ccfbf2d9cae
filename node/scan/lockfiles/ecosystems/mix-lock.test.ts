import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { mixLock } from './mix-lock.ts'

const parse = (text: string) => mixLock.parse(text, { path: 'mix.lock', readRelative: () => undefined })

describe('mix-lock', () => {
  it('reads hex and git dependencies; a hex alias is reported under its Hex name', () => {
    const pkgs = parse(`%{
  "plug": {:hex, :plug, "1.11.1", "f2992b", [:mix], [{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}], "hexpm", "8763"},
  "my_alias": {:hex, :real_name, "0.2.0", "abc", [:rebar3], [], "hexpm", "def"},
  "foo": {:git, "https://github.com/o/foo.git", "fc94cce7830fa4dc455024bc2a83720afe244531", [branch: "feat/x}"]},
  "multi": {:hex, :multi,
    "3.0.0", "0011", [:mix], [], "hexpm", "2233"},
}
`)
    expect(pkgs.map((p) => [p.name, p.version, p.commit])).toEqual([
      ['plug', '1.11.1', 'f2992b'],
      ['real_name', '0.2.0', 'abc'],
      ['foo', '', 'fc94cce7830fa4dc455024bc2a83720afe244531'],
      ['multi', '3.0.0', '0011'],
    ])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'Hex', name: 'plug', version: '1.11.1' })
  })

  it('skips a truncated entry but keeps the others', () => {
    expect(parse('%{\n  "a": {:hex, },\n  "b": {:hex, :b, "1.0.0", "x"},\n}\n').map((p) => p.name)).toEqual(['b'])
  })

  it('reads the older `=>` map syntax', () => {
    expect(parse('%{"cowboy" => {:hex, :cowboy, "1.0.4", "a324"}}').map((p) => `${p.name}@${p.version}`)).toEqual(['cowboy@1.0.4'])
  })

  it('reads empty files and empty maps as no packages', () => {
    expect(parse('')).toEqual([])
    expect(parse('%{}\n')).toEqual([])
  })

  it('names broken files as bad-syntax', () => {
    for (const text of ['{"a": 1}', '%{\n  "a": {:hex, :a, "1.0.0\n}', '%{\n  "a": {:hex, :a, "1"}\n', '%{} trailing', '%{ "a" {:hex} }']) {
      try {
        parse(text)
        expect.unreachable(text)
      } catch (err) {
        expect((err as LockfileError).code, text).toBe('bad-syntax')
      }
    }
  })
})
