import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse as smolParse } from 'smol-toml'
import { LockfileError } from '../parser.ts'
import { decodeTomlValue, scanToml, type TomlValue } from './toml-scanner.ts'

// osv-scalibr's fixture (../shared/data, Apache-2.0), written by Poetry 2.
const POETRY_V2 = new URL('../../../../../shared/data/lockfiles/osv-scalibr/python/poetrylock/testdata/multiple-packages.v2.lock', import.meta.url)

type Event = ['table', string, boolean] | ['pair', string, TomlValue]

/** Every header and every pair, each value decoded. */
function events(text: string): Event[] {
  const out: Event[] = []
  scanToml(text, 'test.toml', {
    table: (path, array) => out.push(['table', path.join('.'), array]),
    pair: (key, at, end) => out.push(['pair', key.join('.'), decodeTomlValue(text, at, end, 'test.toml')]),
  })
  return out
}

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : `other: ${(err as Error).message}` }
  return undefined
}

/** The value of `v = <text>`. */
const value = (text: string): TomlValue => (events(`v = ${text}\n`)[0] as ['pair', string, TomlValue])[2]

describe('toml-scanner', () => {
  it('reports headers and pairs in order, with dotted, quoted and spaced keys', () => {
    expect(events([
      '# comment',
      'top = 1',
      '[ a . "b.c" ]  # after a header',
      "x.'y' = true",
      '[[package]]',
      'name = "n"',
      '[[ package ]]',
      '"quoted key" = "v"',
      '',
    ].join('\n'))).toEqual([
      ['pair', 'top', 1],
      ['table', 'a.b.c', false],
      ['pair', 'x.y', true],
      ['table', 'package', true],
      ['pair', 'name', 'n'],
      ['table', 'package', true],
      ['pair', 'quoted key', 'v'],
    ])
  })

  it('decodes strings: escapes, literals and multi-line forms', () => {
    expect(value(String.raw`"a\"b\\c\td\u00e9\U0001F600"`)).toBe('a"b\\c\td\u00e9\u{1F600}')
    expect(value(String.raw`'C:\no\escapes'`)).toBe(String.raw`C:\no\escapes`)
    expect(value('"""\nline one\nline "two"\n"""')).toBe('line one\nline "two"\n')
    expect(value('"""joined \\\n    here"""')).toBe('joined here')
    expect(value('"""ends in quotes"""""')).toBe('ends in quotes""')
    expect(value("'''\nraw \\n kept'''")).toBe('raw \\n kept')
    expect(value('""')).toBe('')
  })

  it('decodes numbers, booleans, dates, arrays and inline tables', () => {
    expect(value('1_000')).toBe(1000)
    expect(value('-17')).toBe(-17)
    expect(value('0xff')).toBe(255)
    expect(value('0o17')).toBe(15)
    expect(value('0b101')).toBe(5)
    expect(value('6.626e-34')).toBe(6.626e-34)
    expect(value('-inf')).toBe(-Infinity)
    expect(value('nan')).toBeNaN()
    expect(value('false')).toBe(false)
    expect(value('1979-05-27 07:32:00Z')).toBe('1979-05-27 07:32:00Z')
    expect(value('2025-01-25T11:30:10.164985+00:00')).toBe('2025-01-25T11:30:10.164985+00:00')
    expect(value('[\n  1, # one\n  [2, "]"],\n  { a = "#", b.c = 3 },\n]')).toEqual([1, [2, ']'], { a: '#', b: { c: 3 } }])
    expect(value('{}')).toEqual({})
  })

  it('keeps __proto__ a plain key', () => {
    const v = value('{ __proto__ = { polluted = true } }') as Record<string, unknown>
    expect(Object.keys(v)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('walks past multi-line strings and arrays without reading their lines as statements', () => {
    const text = [
      '[[package]]',
      'description = """',
      'name = "inside-a-string"',
      '[not.a.table]',
      '"""',
      'files = [',
      '  {file = "a.whl", hash = "sha256:0"}, # name = "in-a-comment"',
      '  {file = "b [x] {y} \\" # z", hash = "sha256:1"},',
      ']',
      'name = "real"',
    ].join('\n')
    const got = events(text)
    expect(got.map((e) => e[1])).toEqual(['package', 'description', 'files', 'name'])
    expect(got[3]).toEqual(['pair', 'name', 'real'])
  })

  it.skipIf(!existsSync(POETRY_V2))('agrees with a full TOML parser on a real lockfile', () => {
    const text = readFileSync(POETRY_V2, 'utf8')
    const names: string[] = []
    scanToml(text, 'poetry.lock', {
      table: () => {},
      pair: (key, at, end) => { if (key.join('.') === 'name') names.push(decodeTomlValue(text, at, end, 'poetry.lock') as string) },
    })
    const full = smolParse(text) as { package: { name: string }[] }
    expect(names).toEqual(full.package.map((p) => p.name))
    expect(names.length).toBeGreaterThan(5)
  })

  it.each([
    ['prose', 'this is not valid toml! (I think)'],
    ['a conflict marker', 'a = 1\n<<<<<<< HEAD\nb = 2'],
    ['an unterminated string', 'a = "open'],
    ['a newline inside a one-line string', 'a = "one\ntwo"'],
    ['an escaped newline in a one-line string', 'a = "one\\\ntwo"'],
    ['an unterminated multi-line string', 'a = """open\n'],
    ['an unclosed array', 'a = [1, 2'],
    ['a missing comma', 'a = [1 2]'],
    ['a missing equals sign', 'name "x"'],
    ['text after a value', 'a = "x" y'],
    ['an unclosed header', '[package\nname = "x"'],
    ['a bare word as value', 'a = yes'],
    ['a missing value', 'a ='],
    ['a bad escape', 'a = "\\q"'],
    ['a bad number', 'a = 1__0'],
    ['deep nesting', 'a = ' + '['.repeat(200) + ']'.repeat(200)],
  ])('refuses %s as bad-syntax', (_, text) => {
    expect(codeOf(() => events(text))).toBe('bad-syntax')
  })

  it('accepts CRLF line ends and a file without a final newline', () => {
    expect(events('a = 1\r\n[t]\r\nb = "x"')).toEqual([['pair', 'a', 1], ['table', 't', false], ['pair', 'b', 'x']])
  })
})
