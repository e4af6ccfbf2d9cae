// The TOML lockfiles of Python: poetry.lock, pdm.lock, uv.lock and pylock.toml (PEP 751).
// Each lists resolved packages as an array of tables with name and version; they differ in
// where groups and VCS commits live.
import type { Package } from '../../../../protocol/index.ts'
import { basename, type LockfileParser, type ParseContext } from '../parser.ts'
import { pypiPackage, readToml, str, tables, type TomlTable } from './pypi-package.ts'

function sub(t: TomlTable, k: string): TomlTable | undefined {
  const v = t[k]
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as TomlTable) : undefined
}

function poetry(text: string, ctx: ParseContext): Package[] {
  const doc = readToml(text, 'poetry.lock')
  return tables(doc.package, 'poetry.lock', 'package').filter((p) => str(p, 'name') && str(p, 'version') !== undefined).map((p) => {
    const source = sub(p, 'source')
    const groups = Array.isArray(p.groups) ? p.groups.filter((g): g is string => typeof g === 'string' && g !== 'main') : str(p, 'category') === 'dev' ? ['dev'] : []
    const optional = p.optional === true ? ['optional'] : []
    return pypiPackage(str(p, 'name')!, str(p, 'version')!, ctx.path, {
      groups: [...groups, ...optional], commit: source && str(source, 'type') === 'git' ? str(source, 'resolved_reference') : undefined,
    })
  })
}

function pdm(text: string, ctx: ParseContext): Package[] {
  const doc = readToml(text, 'pdm.lock')
  return tables(doc.package, 'pdm.lock', 'package').filter((p) => str(p, 'name') && str(p, 'version') !== undefined).map((p) => {
    const groups = Array.isArray(p.groups) ? p.groups.filter((g): g is string => typeof g === 'string' && g !== 'default') : []
    return pypiPackage(str(p, 'name')!, str(p, 'version')!, ctx.path, { groups, commit: str(p, 'revision') })
  })
}

function uv(text: string, ctx: ParseContext): Package[] {
  const doc = readToml(text, 'uv.lock')
  const out: Package[] = []
  for (const p of tables(doc.package, 'uv.lock', 'package')) {
    const name = str(p, 'name')
    const version = str(p, 'version')
    const source = sub(p, 'source')
    // The project itself (editable / virtual) is not a dependency.
    if (!name || version === undefined || (source && (source.editable !== undefined || source.virtual !== undefined))) continue
    const git = source ? str(source, 'git') : undefined
    out.push(pypiPackage(name, version, ctx.path, { commit: git?.includes('#') ? git.slice(git.lastIndexOf('#') + 1) : undefined }))
  }
  return out
}

function pylock(text: string, ctx: ParseContext): Package[] {
  const doc = readToml(text, 'pylock.toml')
  // A `directory` package is a local project (often the project itself), not a dependency.
  return tables(doc.packages, 'pylock.toml', 'packages').filter((p) => str(p, 'name') && !sub(p, 'directory')).map((p) => {
    const vcs = sub(p, 'vcs')
    return pypiPackage(str(p, 'name')!, str(p, 'version') ?? '', ctx.path, { commit: vcs ? str(vcs, 'commit-id') : undefined })
  })
}

export const poetryLock: LockfileParser = { id: 'poetry-lock', matches: (r) => basename(r) === 'poetry.lock', parse: poetry }
export const pdmLock: LockfileParser = { id: 'pdm-lock', matches: (r) => basename(r) === 'pdm.lock', parse: pdm }
export const uvLock: LockfileParser = { id: 'uv-lock', matches: (r) => basename(r) === 'uv.lock', parse: uv }
export const pylockToml: LockfileParser = { id: 'pylock', matches: (r) => /^pylock(?:\.[^.]+)?\.toml$/.test(basename(r)), parse: pylock }
