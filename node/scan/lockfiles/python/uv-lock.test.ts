import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { uvLock } from './uv-lock.ts'

const ctx = { path: 'uv.lock', readRelative: () => undefined }
const summary = (text: string) => uvLock.parse(text, ctx).map((p) => [p.name, p.version, p.groups ?? [], p.commit ?? ''])

const pkg = (name: string, version: string, deps: string[] = [], extra = '') => [
  '[[package]]',
  `name = "${name}"`,
  `version = "${version}"`,
  'source = { registry = "https://pypi.example.invalid/simple" }',
  ...(deps.length ? ['dependencies = [', ...deps.map((d) => `    ${d},`), ']'] : []),
  'wheels = [',
  `    { url = "https://files.example.invalid/${name}-${version}-py3-none-any.whl", hash = "sha256:00", size = 1 },`,
  ']',
  extra,
  '',
].join('\n')

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : `other: ${(err as Error).message}` }
  return undefined
}

describe('uv-lock', () => {
  it('leaves out the project, workspace members and local directories; reads git commits', () => {
    expect(summary([
      'version = 1',
      'requires-python = ">=3.10"',
      '',
      '[[package]]',
      'name = "ruff"',
      'version = "0.8.1"',
      'source = { git = "https://github.com/astral-sh/ruff?rev=main#84748be16341b76e073d117329f7f5f4ee2941ad" }',
      '',
      '[[package]]', 'name = "member"', 'version = "0.2.0"', 'source = { editable = "packages/member" }',
      '[[package]]', 'name = "localdir"', 'version = "0.3.0"', 'source = { directory = "../localdir" }',
      '[[package]]', 'name = "app"', 'version = "0.1.0"', 'source = { virtual = "." }',
      'dependencies = [', '    { name = "ruff" },', ']',
    ].join('\n'))).toEqual([['ruff', '0.8.1', [], '84748be16341b76e073d117329f7f5f4ee2941ad']])
  })

  it('puts each package in the groups it is reachable from; production wins', () => {
    const text = [
      'version = 1',
      pkg('emoji', '2.14.0'),
      pkg('click', '8.1.7', ['{ name = "colorama", marker = "sys_platform == \'win32\'" }']),
      pkg('colorama', '0.4.6'),
      pkg('black', '24.10.0', ['{ name = "click" }', '{ name = "pathspec" }']),
      pkg('pathspec', '0.12.1'),
      pkg('flake8', '7.1.1', ['{ name = "ipython", extra = ["kernel"] }']),
      pkg('ipython', '8.0.0', [], '[package.optional-dependencies]\nkernel = [\n    { name = "traitlets" },\n]'),
      pkg('traitlets', '5.0.0'),
      pkg('orphan', '1.0.0'),
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      'source = { editable = "." }',
      'dependencies = [',
      '    { name = "emoji" },',
      '    { name = "pathspec" },',
      ']',
      '',
      '[package.optional-dependencies]',
      'cli = [',
      '    { name = "click" },',
      ']',
      '',
      '[package.dev-dependencies]',
      'dev = [',
      '    { name = "black" },',
      ']',
      'lint = [',
      '    { name = "flake8" },',
      ']',
      '',
      '[package.metadata]',
      'requires-dist = [{ name = "emoji" }]',
    ].join('\n')
    expect(summary(text)).toEqual([
      ['emoji', '2.14.0', [], ''],
      ['click', '8.1.7', ['cli', 'dev'], ''],
      ['colorama', '0.4.6', ['cli', 'dev'], ''],
      ['black', '24.10.0', ['dev'], ''],
      ['pathspec', '0.12.1', [], ''],
      ['flake8', '7.1.1', ['lint'], ''],
      ['ipython', '8.0.0', ['lint'], ''],
      ['traitlets', '5.0.0', ['lint'], ''],
      ['orphan', '1.0.0', [], ''],
    ])
  })

  it('follows a dependency to the version it names when a package is locked twice', () => {
    const text = [
      pkg('numpy', '1.26.4'),
      pkg('numpy', '2.1.0'),
      pkg('scipy', '1.14.0', ['{ name = "numpy", version = "2.1.0", source = { registry = "https://pypi.example.invalid/simple" } }']),
      '[[package]]', 'name = "app"', 'version = "0.1.0"', 'source = { virtual = "." }',
      'dependencies = [', '    { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.example.invalid/simple" } },', ']',
      '[package.optional-dependencies]', 'sci = [', '    { name = "scipy" },', ']',
    ].join('\n')
    expect(summary(text)).toEqual([
      ['numpy', '1.26.4', [], ''],
      ['numpy', '2.1.0', ['sci'], ''],
      ['scipy', '1.14.0', ['sci'], ''],
    ])
  })

  it('gives nothing for an empty lockfile or one with only the project', () => {
    expect(summary('')).toEqual([])
    expect(summary('version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\n')).toEqual([])
  })

  it('refuses broken TOML and wrongly typed fields', () => {
    expect(codeOf(() => uvLock.parse('this is not valid toml! (I think)', ctx))).toBe('bad-syntax')
    expect(codeOf(() => uvLock.parse('[[package]]\nname = "a"\nversion = "1"\nsource = "pypi"\n', ctx))).toBe('bad-structure')
    expect(codeOf(() => uvLock.parse('[[package]]\nname = "a"\nversion = "1"\ndependencies = ["b"]\n', ctx))).toBe('bad-structure')
  })

  it('claims uv.lock', () => {
    expect(uvLock.matches('services/api/uv.lock')).toBe(true)
    expect(uvLock.matches('uv.toml')).toBe(false)
  })
})
