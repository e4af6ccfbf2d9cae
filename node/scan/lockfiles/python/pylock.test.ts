import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { pylock } from './pylock.ts'

const ctx = { path: 'pylock.toml', readRelative: () => undefined }
const summary = (text: string) => pylock.parse(text, ctx).map((p) => [p.name, p.version, p.groups ?? [], p.commit ?? ''])

function codeOf(fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return err instanceof LockfileError ? err.code : `other: ${(err as Error).message}` }
  return undefined
}

describe('pylock', () => {
  it('reads packages, VCS commits and versionless packages; leaves out local directories', () => {
    expect(summary([
      "lock-version = '1.0'",
      "created-by = 'uv'",
      '[[packages]]',
      'name = "click"',
      'version = "8.2.1"',
      'sdist = { url = "https://files.example.invalid/click-8.2.1.tar.gz", upload-time = 2025-05-20T23:19:49Z, size = 286342, hashes = { sha256 = "27" } }',
      'wheels = [{ url = "https://files.example.invalid/click-8.2.1-py3-none-any.whl", upload-time = 2025-05-20T23:19:47Z, size = 102215, hashes = { sha256 = "61" } }]',
      '[[packages]]',
      'name = "mleroc"',
      'version = "0.1.0"',
      'vcs = { type = "git", url = "https://github.com/Veggente/mleroc.git", commit-id = "735093f03c4d8be70bfaaae44074ac92d7419b6d" }',
      '[[packages]]',
      'name = "from-archive"',
      '[packages.archive]',
      'url = "https://example.invalid/a.zip"',
      '[[packages]]',
      'name = "project"',
      'directory = { path = ".", editable = true }',
      '[[packages.wheels]]',
      'name = "not-a-package.whl"',
      '[tool.x]',
      'name = "not-either"',
    ].join('\n'))).toEqual([
      ['click', '8.2.1', [], ''],
      ['mleroc', '0.1.0', [], '735093f03c4d8be70bfaaae44074ac92d7419b6d'],
      ['from-archive', '', [], ''],
    ])
  })

  it('reads the packages array written inline', () => {
    expect(summary('lock-version = "1.0"\npackages = [\n  { name = "self", directory = { path = "." } },\n  { name = "six", version = "1.17.0" },\n]\n'))
      .toEqual([['six', '1.17.0', [], '']])
  })

  it('takes groups and extras from markers; a default group makes a package production', () => {
    expect(summary([
      'lock-version = "1.0"',
      'extras = ["security", "tests"]',
      'dependency-groups = ["default", "dev"]',
      'default-groups = ["default"]',
      '[[packages]]', 'name = "certifi"', 'version = "1"', 'marker = "python_version >= \\"3.6\\" and \\"security\\" in extras"',
      '[[packages]]', 'name = "idna"', 'version = "1"', 'marker = "\\"default\\" in dependency_groups or \\"security\\" in extras"',
      '[[packages]]', 'name = "pytest"', 'version = "1"', "marker = \"'dev' in dependency_groups or 'tests' in extras\"",
      '[[packages]]', 'name = "colorama"', 'version = "1"', 'marker = "sys_platform == \\"win32\\""',
      '[[packages]]', 'name = "notin"', 'version = "1"', "marker = \"'dev' not in dependency_groups\"",
    ].join('\n'))).toEqual([
      ['certifi', '1', ['security'], ''],
      ['idna', '1', [], ''],
      ['pytest', '1', ['dev', 'tests'], ''],
      ['colorama', '1', [], ''],
      ['notin', '1', [], ''],
    ])
  })

  it('refuses broken TOML and wrongly typed fields', () => {
    expect(codeOf(() => pylock.parse("lock-version = '1.0\n", ctx))).toBe('bad-syntax')
    expect(codeOf(() => pylock.parse('[[packages]]\nname = "a"\nvcs = "git"\n', ctx))).toBe('bad-structure')
    expect(codeOf(() => pylock.parse('default-groups = "dev"\n', ctx))).toBe('bad-structure')
  })

  it('claims pylock.toml and pylock.<name>.toml', () => {
    expect(pylock.matches('pylock.toml')).toBe(true)
    expect(pylock.matches('app/pylock.dev.toml')).toBe(true)
    expect(pylock.matches('pylock.a.b.toml')).toBe(false)
    expect(pylock.matches('pylock..toml')).toBe(false)
    expect(pylock.matches('mypylock.toml')).toBe(false)
  })
})
