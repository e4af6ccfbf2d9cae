// pip requirements files. `-r` includes are followed and their requirements reported;
// `-c` constraints files install nothing, but pin what the requirements leave open
// (`flask` with a constraint `flask==2.0.1` is flask 2.0.1), as pip resolves them. Includes
// stay inside the scanned tree (no absolute paths, no `..` above its root, no URLs): a
// requirements file must not make the agent read, and report as package names, lines of
// files it was not asked to scan. Each package is in the group named after the file that
// requires it (`requirements-dev.txt` → `requirements-dev`), as osv-scanner does.
import { posix } from 'node:path'
import { normalizeName, type Package } from '../../../../protocol/index.ts'
import { basename, ruled, type LockfileParser, type ParseContext } from '../parser.ts'
import { pypiPackage } from './pypi-package.ts'
import { logicalLines } from './requirement-lines.ts'
import { parseRequirement, type Requirement } from './requirement-specifier.ts'

/** Bounds on includes, against include chains through symlinked directories. */
const MAX_DEPTH = 16
const MAX_FILES = 256

interface Found extends Requirement { group: string }

interface Walk {
  ctx: ParseContext
  /** Directory of the parsed file, relative to the scan root. */
  rootDir: string
  /** Files read so far, by their path relative to the scan root. */
  seen: Set<string>
  found: Found[]
  /** Normalized name → the version a constraints file pins it to. */
  constraints: Map<string, string>
}

function parseRequirements(text: string, ctx: ParseContext): Package[] {
  const path = ctx.path.replaceAll('\\', '/')
  const self = posix.basename(path)
  const walk: Walk = { ctx, rootDir: posix.dirname(path), seen: new Set([posix.normalize(path)]), found: [], constraints: new Map() }
  readFile(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, self, false, 0, walk)
  return merge(walk)
}

/** `rel` is the file's path relative to the directory of the parsed file. */
function readFile(text: string, rel: string, constraint: boolean, depth: number, walk: Walk): void {
  const group = stem(posix.basename(rel))
  for (const line of logicalLines(text)) {
    if (line.charCodeAt(0) === 45 /* - */) {
      const include = includeOf(line)
      if (include) follow(rel, include.path, constraint || include.constraint, depth, walk)
      continue
    }
    const req = parseRequirement(line)
    if (req === undefined) continue
    if (!constraint) {
      walk.found.push({ ...req, group })
      continue
    }
    const key = normalizeName('PyPI', req.name)
    if (req.exact && !walk.constraints.has(key)) walk.constraints.set(key, req.version)
  }
}

function follow(fromRel: string, target: string, constraint: boolean, depth: number, walk: Walk): void {
  if (depth >= MAX_DEPTH || walk.seen.size >= MAX_FILES) return
  const path = target.replaceAll('\\', '/')
  if (path.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) return // absolute, a drive, or a URL
  const rel = posix.normalize(posix.join(posix.dirname(fromRel), path))
  const key = posix.normalize(posix.join(walk.rootDir, rel))
  if (key === '..' || key.startsWith('../')) return
  if (walk.seen.has(key)) return
  walk.seen.add(key)
  const text = walk.ctx.readRelative(rel)
  if (text !== undefined) readFile(text, rel, constraint, depth + 1, walk)
}

/** `-r file`, `-rfile`, `--requirement[= ]file`, and the same for `-c` / `--constraint`. */
function includeOf(line: string): { path: string, constraint: boolean } | undefined {
  let rest: string
  let constraint: boolean
  if (line.startsWith('--requirement') || line.startsWith('--constraint')) {
    constraint = line.startsWith('--constraint')
    rest = line.slice(constraint ? 12 : 13)
    const c = rest.charCodeAt(0)
    if (c !== 61 /* = */ && c !== 32 && c !== 9) return undefined
    rest = rest.slice(1)
  } else if (line.startsWith('-r') || line.startsWith('-c')) {
    constraint = line[1] === 'c'
    rest = line.slice(2)
  } else {
    return undefined
  }
  const path = firstWord(rest.trim())
  return path ? { path, constraint } : undefined
}

/** The first shell word (pip reads options with shlex): quotes group, then end. */
function firstWord(s: string): string {
  const q = s[0]
  if (q === '"' || q === "'") {
    const close = s.indexOf(q, 1)
    return close === -1 ? '' : s.slice(1, close)
  }
  const space = s.search(/\s/)
  return space === -1 ? s : s.slice(0, space)
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(0, dot) : name
}

/** Constraints applied, then one package per name and version, in the groups of every file requiring it. */
function merge(walk: Walk): Package[] {
  const byKey = new Map<string, { req: Found, groups: string[] }>()
  for (const f of walk.found) {
    const norm = normalizeName('PyPI', f.name)
    const version = f.exact ? f.version : walk.constraints.get(norm) ?? f.version
    const key = `${norm}\u0000${version}`
    const seen = byKey.get(key)
    if (seen === undefined) byKey.set(key, { req: { ...f, version }, groups: [f.group] })
    else if (!seen.groups.includes(f.group)) seen.groups.push(f.group)
  }
  const out: Package[] = []
  for (const { req, groups } of byKey.values()) out.push(pypiPackage(req.name, req.version, walk.ctx.path, { groups }))
  return out
}

const isLockName = (lowerName: string) => lowerName.startsWith('requirements') && lowerName.endsWith('.lock')

export const requirements: LockfileParser = {
  id: 'requirements',
  // requirements.txt, requirements-dev.txt, dev-requirements.txt, requirements/base.txt;
  // Rye's requirements.lock and requirements-dev.lock are the same format. Only a .txt
  // file's directory counts: the name alone settles every other file.
  matches: ruled((name) => { const b = name.toLowerCase(); return b.endsWith('.txt') || isLockName(b) }, (relPath) => {
    const b = basename(relPath).toLowerCase()
    if (b.endsWith('.txt')) return b.includes('requirements') || posix.basename(posix.dirname(relPath.replaceAll('\\', '/').toLowerCase())) === 'requirements'
    return isLockName(b)
  }),
  parse: parseRequirements,
}
