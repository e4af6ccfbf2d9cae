// Go modules: go.mod's require and replace directives, plus the toolchain as the `stdlib`
// package (Go advisories are filed against it). Before go 1.17 go.mod lists only direct
// requirements, so the sibling go.sum supplies the rest of the build list.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, basename, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'

const ECOSYSTEM = 'Go'

interface Line { tokens: string[], comment: string }

/** Splits one go.mod line the way Go's modfile lexer does: words, quoted strings, parens, `//`. */
function lexLine(line: string, lineNo: number): Line {
  const tokens: string[] = []
  let i = 0
  const n = line.length
  while (i < n) {
    const c = line.charCodeAt(i)
    if (c === 32 || c === 9 || c === 13) { i++; continue }
    if (c === 47 && line.charCodeAt(i + 1) === 47) return { tokens, comment: line.slice(i + 2).trim() }
    if (c === 40 || c === 41) { tokens.push(c === 40 ? '(' : ')'); i++; continue }
    if (c === 34 || c === 96) {
      // Interpreted ("…") or raw (`…`) string; module paths never need escapes beyond \" and \\.
      let j = i + 1
      let value = ''
      while (j < n && line.charCodeAt(j) !== c) {
        if (c === 34 && line.charCodeAt(j) === 92 && j + 1 < n) j++
        value += line[j]
        j++
      }
      if (j >= n) throw new LockfileError('bad-syntax', `go.mod line ${lineNo}: unterminated string`)
      tokens.push(value)
      i = j + 1
      continue
    }
    let j = i
    while (j < n) {
      const d = line.charCodeAt(j)
      if (d === 32 || d === 9 || d === 13 || d === 40 || d === 41 || (d === 47 && line.charCodeAt(j + 1) === 47)) break
      j++
    }
    tokens.push(line.slice(i, j))
    i = j
  }
  return { tokens, comment: '' }
}

function stripV(version: string): string {
  return version.startsWith('v') ? version.slice(1) : version
}

/** `go1.23.6-custom` → `1.23.6`; the suffix names a local build, not a Go release. */
function toolchainVersion(name: string): string | undefined {
  if (!name.startsWith('go')) return undefined
  const v = name.slice(2)
  const dash = v.indexOf('-')
  return dash === -1 ? v : v.slice(0, dash)
}

/** True when a `go` directive (absent means 1.16) predates module graph pruning (1.17). */
function needsGoSum(goVersion: string | undefined): boolean {
  if (goVersion === undefined) return true
  const [major = 0, minor = 0] = goVersion.split('.').map((s) => Number.parseInt(s, 10))
  return major < 1 || (major === 1 && minor < 17)
}

interface Requirement { name: string, version: string, direct: boolean }
interface Replacement { path: string, version: string }

function parseGoMod(text: string, ctx: ParseContext): Package[] {
  const requires: Requirement[] = []
  const replaces = new Map<string, Replacement>()
  let goVersion: string | undefined
  let toolchain: string | undefined
  let block: string | undefined
  const lines = text.split('\n')

  for (let li = 0; li < lines.length; li++) {
    const { tokens, comment } = lexLine(lines[li]!, li + 1)
    if (tokens.length === 0) continue
    let verb: string
    let args: string[]
    if (block !== undefined) {
      if (tokens[0] === ')') {
        if (tokens.length !== 1) throw new LockfileError('bad-syntax', `go.mod line ${li + 1}: text after ')'`)
        block = undefined
        continue
      }
      verb = block
      args = tokens
    } else {
      verb = tokens[0]!
      if (verb === '(' || verb === ')') throw new LockfileError('bad-syntax', `go.mod line ${li + 1}: unexpected '${verb}'`)
      if (tokens.length === 2 && tokens[1] === '(') { block = verb; continue }
      args = tokens.slice(1)
    }
    switch (verb) {
      case 'require': {
        if (args.length !== 2) throw new LockfileError('bad-syntax', `go.mod line ${li + 1}: require needs a module path and a version`)
        const indirect = comment === 'indirect' || comment.startsWith('indirect;')
        requires.push({ name: args[0]!, version: stripV(args[1]!), direct: !indirect })
        break
      }
      case 'replace': {
        const arrow = args.indexOf('=>')
        const targetCount = args.length - arrow - 1
        if ((arrow !== 1 && arrow !== 2) || (targetCount !== 1 && targetCount !== 2)) {
          throw new LockfileError('bad-syntax', `go.mod line ${li + 1}: malformed replace`)
        }
        // A replacement without a version on its left side applies to every version.
        const key = arrow === 2 ? `${args[0]}@${stripV(args[1]!)}` : args[0]!
        replaces.set(key, { path: args[arrow + 1]!, version: targetCount === 2 ? stripV(args[arrow + 2]!) : '' })
        break
      }
      case 'go':
        if (args.length !== 1) throw new LockfileError('bad-syntax', `go.mod line ${li + 1}: go needs one version`)
        goVersion = args[0]
        break
      case 'toolchain':
        if (args.length !== 1) throw new LockfileError('bad-syntax', `go.mod line ${li + 1}: toolchain needs one name`)
        toolchain = toolchainVersion(args[0]!)
        break
      default:
        // module, exclude, retract, godebug, tool, ignore and directives newer than this
        // reader name no dependency; Go itself tolerates unknown ones in lax mode.
        break
    }
  }
  if (block !== undefined) throw new LockfileError('bad-syntax', `go.mod: ${block} block not closed`)

  if (needsGoSum(goVersion)) {
    const name = basename(ctx.path)
    const sum = ctx.readRelative(name.endsWith('.mod') ? name.slice(0, -4) + '.sum' : 'go.sum')
    if (sum !== undefined) requires.push(...sumRequirements(sum))
  }

  const out: Package[] = []
  const seen = new Map<string, Package>()
  const add = (name: string, version: string, direct: boolean): void => {
    const key = `${name}\u0000${version}`
    const prior = seen.get(key)
    if (prior) { if (direct) prior.direct = true; return }
    const p: Package = { ecosystem: ECOSYSTEM, name, version, source: ctx.path, direct }
    seen.set(key, p)
    out.push(p)
  }
  for (const r of requires) {
    const to = replaces.get(`${r.name}@${r.version}`) ?? replaces.get(r.name)
    if (to) add(to.path, to.version, r.direct)
    else add(r.name, r.version, r.direct)
  }
  const std = toolchain ?? goVersion
  if (std !== undefined) add('stdlib', std, true)
  return out
}

/** Modules whose content go.sum vouches for (its `/go.mod`-only lines are graph metadata). */
function sumRequirements(text: string): Requirement[] {
  const out: Requirement[] = []
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/)
    if (fields.length !== 3 || fields[1]!.endsWith('/go.mod')) continue
    out.push({ name: fields[0]!, version: stripV(fields[1]!), direct: false })
  }
  return out
}

export const goMod: LockfileParser = {
  id: 'go-mod',
  matches: named('go.mod'),
  parse: parseGoMod,
}
