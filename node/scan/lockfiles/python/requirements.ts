// pip requirements files: one requirement per logical line (`\` continues a line), with
// extras, environment markers, per-requirement options and comments; `-r` includes are
// followed (cycles stopped), `-c` constraints add no packages, other options are skipped.
// The version is the one the specifier names (`==1.2`, `>=1.2` → 1.2), empty when none or
// a wildcard; requirements whose version is an environment variable are left out.
import { posix } from 'node:path'
import type { Package } from '../../../../protocol/index.ts'
import { basename, type LockfileParser, type ParseContext } from '../parser.ts'
import { pypiPackage } from './pypi-package.ts'
import { uniquePackages } from '../unique-packages.ts'

const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/
const SPECIFIER = /^(===|==|~=|>=|<=|!=|>|<)\s*(.*)$/

/** Lines joined where they end in an (unescaped) backslash, then comments stripped: pip's order. */
function logicalLines(text: string): string[] {
  const out: string[] = []
  let pending = ''
  for (const raw of text.split(/\r?\n/)) {
    const trailing = /\\*$/.exec(raw)![0].length
    if (trailing % 2 === 1) { pending += raw.slice(0, -1); continue }
    out.push((pending + raw).replace(/(^|\s)#.*$/, '').trim())
    pending = ''
  }
  if (pending.trim() !== '') out.push(pending.replace(/(^|\s)#.*$/, '').trim())
  return out
}

function versionOf(spec: string): string | undefined {
  // Markers after `;`, options after ` --` are not part of the specifier.
  let s = spec.split(';')[0]!
  const opt = s.search(/(^|\s)--?[A-Za-z]/)
  if (opt !== -1) s = s.slice(0, opt)
  s = s.trim()
  if (s.startsWith('@')) return undefined // a direct URL reference names no version
  if (s === '') return ''
  const first = s.split(',').map((x) => x.trim()).find((x) => x.startsWith('==')) ?? s.split(',')[0]!.trim()
  const m = SPECIFIER.exec(first)
  if (!m) return ''
  const v = m[2]!.trim()
  if (v.includes('${') || v === '') return undefined
  if (m[1] === '!=' || v.includes('*')) return ''
  return v
}

/** `rel` is the file's path relative to the directory of the file the scan found. */
function parseFile(text: string, ctx: ParseContext, rel: string, seen: Set<string>, out: Package[]): void {
  for (const line of logicalLines(text)) {
    if (line === '') continue
    const include = /^(?:-r|--requirement)(?:\s+|=)(\S+)/.exec(line)
    if (include) {
      const target = posix.normalize(posix.join(posix.dirname(rel), include[1]!))
      if (seen.has(target)) continue
      seen.add(target)
      const included = ctx.readRelative(target)
      if (included !== undefined) parseFile(included, ctx, target, seen, out)
      continue
    }
    if (line.startsWith('-') || /^[a-z+]+:\/\//i.test(line) || line.startsWith('.') || line.startsWith('/')) continue
    const m = REQUIREMENT.exec(line)
    if (!m) continue
    const version = versionOf(m[3]!)
    if (version === undefined) continue
    out.push(pypiPackage(m[1]!, version, ctx.path))
  }
}

function parseRequirements(text: string, ctx: ParseContext): Package[] {
  const out: Package[] = []
  const self = basename(ctx.path)
  parseFile(text, ctx, self, new Set([self]), out)
  return uniquePackages(out)
}

export const requirements: LockfileParser = {
  id: 'requirements',
  matches: (relPath) => {
    const b = basename(relPath)
    return (/^requirements.*\.txt$/.test(b) || /(^|\/)requirements\/[^/]+\.txt$/.test(relPath)) && !b.endsWith('.in')
  },
  parse: parseRequirements,
}
