// Ruby: Bundler's Gemfile.lock / gems.locked. Gems come from the `specs:` of the source
// sections (GEM, GIT, PATH, PLUGIN SOURCE); DEPENDENCIES names the direct ones.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'

const ECOSYSTEM = 'RubyGems'
const SOURCE_SECTIONS = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE'])

/** Section headers are unindented upper-case words; anything else there is not a lockfile. */
function isHeader(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i)
    if (!((c >= 65 && c <= 90) || c === 32 || c === 95)) return false
  }
  return line.length > 0
}

function parseGemfileLock(text: string, ctx: ParseContext): Package[] {
  const out: Package[] = []
  const seen = new Set<string>()
  const direct = new Set<string>()
  let section = ''
  let inSpecs = false
  let revision: string | undefined
  const lines = text.split('\n')

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!.trimEnd()
    if (line.length === 0) continue
    let indent = 0
    while (line.charCodeAt(indent) === 32) indent++
    if (indent === 0) {
      if (!isHeader(line)) throw new LockfileError('bad-syntax', `Gemfile.lock line ${li + 1}: not a section header`)
      section = line
      inSpecs = false
      revision = undefined
      continue
    }
    if (section === 'DEPENDENCIES') {
      if (indent === 2) {
        const end = line.indexOf(' ', 2)
        let name = end === -1 ? line.slice(2) : line.slice(2, end)
        if (name.endsWith('!')) name = name.slice(0, -1)
        direct.add(name)
      }
      continue
    }
    if (!SOURCE_SECTIONS.has(section)) continue
    if (indent === 2) {
      if (line === '  specs:') inSpecs = true
      else if (line.startsWith('  revision: ')) revision = line.slice(12).trim()
      continue
    }
    if (indent !== 4 || !inSpecs) continue // deeper lines are a spec's own requirements
    const open = line.indexOf(' (', 4)
    // A spec without `(version)` is broken; Bundler would refuse it, we skip just that gem.
    if (open === -1 || !line.endsWith(')')) continue
    const name = line.slice(4, open)
    let version = line.slice(open + 2, -1)
    // `1.13.3-x86_64-linux`: the platform suffix is not part of the gem's version.
    const dash = version.indexOf('-')
    if (dash !== -1) version = version.slice(0, dash)
    const key = `${name}\u0000${version}`
    if (seen.has(key)) continue // one gem built for several platforms
    seen.add(key)
    const p: Package = { ecosystem: ECOSYSTEM, name, version, source: ctx.path }
    if (section === 'GIT' && revision !== undefined) p.commit = revision
    out.push(p)
  }
  for (const p of out) p.direct = direct.has(p.name)
  return out
}

export const gemfileLock: LockfileParser = {
  id: 'gemfile-lock',
  matches: named('Gemfile.lock', 'gems.locked'),
  parse: parseGemfileLock,
}
