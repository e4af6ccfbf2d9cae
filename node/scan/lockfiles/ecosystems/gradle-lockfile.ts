// Java / Kotlin: Gradle dependency locking. Each line is `group:artifact:version=configurations`;
// `empty=` lists configurations with nothing locked. Gradle itself ignores lines it cannot
// read, and so do we, one line at a time.
import type { Package } from '../../../../protocol/index.ts'
import { basename, ruled } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'

const ECOSYSTEM = 'Maven'

function parseGradleLockfile(text: string, ctx: ParseContext): Package[] {
  const out: Package[] = []
  const seen = new Set<string>()
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line.length === 0 || line.charCodeAt(0) === 35 /* # */) continue
    const eq = line.indexOf('=')
    const coords = eq === -1 ? line : line.slice(0, eq)
    const c1 = coords.indexOf(':')
    const c2 = c1 === -1 ? -1 : coords.indexOf(':', c1 + 1)
    // Exactly group:artifact:version, each part non-empty.
    if (c1 <= 0 || c2 <= c1 + 1 || c2 === coords.length - 1 || coords.indexOf(':', c2 + 1) !== -1) continue
    const name = coords.slice(0, c2)
    const version = coords.slice(c2 + 1)
    const key = `${name}\u0000${version}`
    if (seen.has(key)) continue
    seen.add(key)
    const p: Package = { ecosystem: ECOSYSTEM, name, version, source: ctx.path }
    // Locked only for test configurations (testCompileClasspath, …): a test dependency.
    const configurations = eq === -1 ? [] : line.slice(eq + 1).split(',').filter((s) => s.length > 0)
    if (configurations.length > 0 && configurations.every((s) => s.startsWith('test'))) p.groups = ['test']
    out.push(p)
  }
  return out
}

export const gradleLockfile: LockfileParser = {
  id: 'gradle-lockfile',
  matches: ruled((name) => name.endsWith('.lockfile'), (relPath) => {
    const name = basename(relPath)
    if (name === 'gradle.lockfile' || name === 'buildscript-gradle.lockfile') return true
    // Gradle before 6.0 kept one lockfile per configuration here.
    return name.endsWith('.lockfile') && relPath.replaceAll('\\', '/').includes('gradle/dependency-locks/')
  }),
  parse: parseGradleLockfile,
}
