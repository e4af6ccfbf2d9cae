// One requirement of a requirements file (PEP 508 as pip takes it): the name, and the
// version a vulnerability match can use. `==x` / `===x` pin it; a lower bound that may be
// met exactly (`>=x`, `~=x`) and an inclusive upper bound (`<=x`) name x as both upstream
// scanners read them; an exclusion (`!=`), a strict bound (`<`, `>`) or a wildcard
// (`==1.*`) names no version: the version is then empty, which matches nothing, rather than
// a made-up one. Lines naming no package of an index (URLs, paths, archives) give nothing.

export interface Requirement {
  /** As written (PEP 508 name). */
  name: string
  /** '' when the specifier names no single version. */
  version: string
  /** Pinned with `==` / `===`: a constraints file may not override it. */
  exact: boolean
}

/**
 * The requirement of a logical line that does not start with an option, or undefined when it
 * names no usable requirement (a URL, path or archive, a `name @ url` reference, an unset
 * `${VARIABLE}`, or text that is not a requirement).
 */
export function parseRequirement(line: string): Requirement | undefined {
  const args = argsOf(line)
  const n = args.length
  let i = 0
  // PEP 508 name: letters and digits, with . _ - inside.
  while (i < n && isNameChar(args.charCodeAt(i))) i++
  if (i === 0 || !isAlnum(args.charCodeAt(0)) || !isAlnum(args.charCodeAt(i - 1))) return undefined
  const name = args.slice(0, i)
  if (ARCHIVE.test(name)) return undefined
  i = skipSpace(args, i)
  if (args.charCodeAt(i) === 91 /* [ */) {
    const close = args.indexOf(']', i)
    if (close === -1) return undefined
    i = skipSpace(args, close + 1)
  }
  if (i === n || args.charCodeAt(i) === 59 /* ; */) return { name, version: '', exact: false }
  let spec: string
  if (args.charCodeAt(i) === 40 /* ( */) {
    const close = args.indexOf(')', i)
    if (close === -1) return undefined
    spec = args.slice(i + 1, close)
  } else if (isOperatorStart(args.charCodeAt(i))) {
    const semi = args.indexOf(';', i)
    spec = semi === -1 ? args.slice(i) : args.slice(i, semi)
  } else {
    // `name @ url`, `git+https://…`, `http://…`, or not a requirement at all.
    return undefined
  }
  return versionOf(name, spec)
}

const ARCHIVE = /\.(?:whl|zip|tar|tgz|tar\.gz|tar\.bz2|tar\.xz|egg)$/i
const OPERATORS = ['===', '==', '~=', '>=', '<=', '!=', '<', '>'] as const

function versionOf(name: string, spec: string): Requirement | undefined {
  let lower: string | undefined
  let pinned: Requirement | undefined
  for (const raw of spec.split(',')) {
    const clause = raw.trim()
    const op = OPERATORS.find((o) => clause.startsWith(o))
    if (op === undefined) return undefined
    const version = clause.slice(op.length).trim()
    // An empty version is a broken line; `${VAR}` is filled from pip's environment, unknown here.
    if (version === '' || version.includes('${')) return undefined
    if (pinned !== undefined) continue
    if (op === '==' || op === '===') {
      pinned = version.includes('*') ? { name, version: '', exact: false } : { name, version, exact: true }
    } else if (lower === undefined && (op === '>=' || op === '~=' || op === '<=')) {
      lower = version
    }
  }
  return pinned ?? { name, version: lower ?? '', exact: false }
}

/** The requirement part of a line: pip splits off options at the first word starting with `-`. */
function argsOf(line: string): string {
  let i = line.indexOf('-', 1)
  while (i !== -1) {
    const before = line.charCodeAt(i - 1)
    if (before === 32 || before === 9) return line.slice(0, i).trim()
    i = line.indexOf('-', i + 1)
  }
  return line.trim()
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

function isNameChar(c: number): boolean {
  return isAlnum(c) || c === 46 || c === 95 || c === 45
}

function isOperatorStart(c: number): boolean {
  return c === 61 || c === 60 || c === 62 || c === 33 || c === 126 // = < > ! ~
}

function skipSpace(s: string, i: number): number {
  while (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9) i++
  return i
}
