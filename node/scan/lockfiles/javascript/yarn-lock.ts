// Yarn lockfiles, classic (v1: `version "1.2.3"`) and Berry (v2+: YAML with `resolution:`).
// One entry per resolved package; the name comes from the resolution (Berry) or the entry's
// first descriptor (classic), aliases (`alias@npm:real@^1`) under the real name; workspace
// entries are the project itself, not dependencies.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, basename, type LockfileParser, type ParseContext } from '../parser.ts'
import { commitOf, npmPackage } from './npm-package.ts'
import { uniquePackages } from '../unique-packages.ts'

function unquote(s: string): string {
  const t = s.trim()
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0] ? t.slice(1, -1) : t
}

/** The package name in a descriptor `name@range` / `@scope/name@npm:range`. */
function nameOf(descriptor: string): string {
  const d = unquote(descriptor)
  const at = d.indexOf('@', d.startsWith('@') ? 1 : 0)
  const name = at === -1 ? d : d.slice(0, at)
  const range = at === -1 ? '' : d.slice(at + 1)
  // `alias@npm:real-name@^1.2.3` names the real package.
  if (range.startsWith('npm:')) {
    const real = range.slice(4)
    const at2 = real.indexOf('@', real.startsWith('@') ? 1 : 0)
    if (at2 > 0) return real.slice(0, at2)
  }
  return name
}

interface Entry { header: string, fields: Map<string, string>, line: number }

function entries(text: string): Entry[] {
  const out: Entry[] = []
  let current: Entry | undefined
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    if (!/^\s/.test(line)) {
      if (!line.trimEnd().endsWith(':')) throw new LockfileError('bad-syntax', `yarn.lock line ${i + 1}: expected an entry header ending in ':'`)
      current = { header: line.trimEnd().slice(0, -1), fields: new Map(), line: i + 1 }
      out.push(current)
      continue
    }
    if (!current) throw new LockfileError('bad-syntax', `yarn.lock line ${i + 1}: indented line outside an entry`)
    // Only the entry's own fields (two-space indent); nested maps (dependencies) are skipped.
    const m = /^ {2}"?([A-Za-z]+)"?:?\s+(.*)$/.exec(line)
    if (m && !/^ {3}/.test(line)) current.fields.set(m[1]!, unquote(m[2]!))
  }
  return out
}

function parseYarnLock(text: string, ctx: ParseContext): Package[] {
  const out: Package[] = []
  for (const e of entries(text)) {
    if (e.header === '__metadata') continue
    const version = e.fields.get('version')
    const resolution = e.fields.get('resolution')
    if (resolution !== undefined) {
      // Berry: the resolution is `name@protocol:reference`. The root workspace is the project
      // itself, not a dependency; other workspaces are kept (as osv-scalibr does).
      if (resolution.endsWith('@workspace:.')) continue
      const name = nameOf(resolution)
      out.push(npmPackage(name, version ?? '', ctx.path, { commit: commitOf(resolution.replace('#commit:', '#commit=')) }))
      continue
    }
    if (version === undefined) throw new LockfileError('bad-structure', `yarn.lock line ${e.line}: entry without a version`)
    const first = e.header.split(/,\s*/)[0]!
    const resolved = e.fields.get('resolved')
    out.push(npmPackage(nameOf(first), version, ctx.path, { commit: commitOf(resolved) }))
  }
  return uniquePackages(out)
}

export const yarnLock: LockfileParser = {
  id: 'yarn-lock',
  matches: (relPath) => basename(relPath) === 'yarn.lock',
  parse: parseYarnLock,
}
