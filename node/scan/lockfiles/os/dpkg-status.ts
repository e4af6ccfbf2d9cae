// Debian and Ubuntu: dpkg's database of installed packages (var/lib/dpkg/status, or one
// file per package under status.d/ in distroless images). Advisories name source packages,
// so each binary package also carries its `Source:` name and, when it differs, version.
import type { Package } from '../../../../protocol/index.ts'
import { ruled, type LockfileParser, type ParseContext } from '../parser.ts'
import { debianEcosystem } from './os-release.ts'

const INSTALLED_STATES = new Set(['installed', 'triggers-pending', 'triggers-awaited'])

function normalized(relPath: string): string {
  return relPath.includes('\\') ? relPath.replaceAll('\\', '/') : relPath
}

function isStatusD(path: string): boolean {
  const at = path.lastIndexOf('/status.d/')
  return at !== -1 && path.slice(0, at).endsWith('var/lib/dpkg')
}

/** The root's os-release, three directories up (four from status.d/). */
function readOsRelease(ctx: ParseContext): string | undefined {
  const up = isStatusD(normalized(ctx.path)) ? '../../../../' : '../../../'
  return ctx.readRelative(`${up}etc/os-release`) ?? ctx.readRelative(`${up}usr/lib/os-release`)
}

function parseDpkgStatus(text: string, ctx: ParseContext): Package[] {
  const out: Package[] = []
  let ecosystem: string | undefined
  let pkg: string | undefined
  let status: string | undefined
  let version: string | undefined
  let source: string | undefined

  const flush = (): void => {
    if (status !== undefined && (pkg !== undefined || source !== undefined)) {
      // Status is `want flag state`. Installed packages are `installed`, or configured and
      // waiting only on triggers; unpacked, half-done and removed ones are not counted.
      const state = status.slice(status.lastIndexOf(' ') + 1)
      if (INSTALLED_STATES.has(state)) {
        let sourceName = pkg
        let sourceVersion: string | undefined
        if (source !== undefined) {
          const paren = source.indexOf('(')
          sourceName = (paren === -1 ? source : source.slice(0, paren)).trim()
          if (paren !== -1) {
            const close = source.indexOf(')', paren)
            sourceVersion = source.slice(paren + 1, close === -1 ? source.length : close).trim()
          }
        }
        // A stanza without `Package:` is broken; its source still names what is installed.
        const name = pkg ?? sourceName!
        const v = version ?? ''
        ecosystem ??= debianEcosystem(readOsRelease(ctx))
        const p: Package = { ecosystem, name, version: v, source: ctx.path, sourceName }
        if (sourceVersion !== undefined && sourceVersion !== v) p.sourceVersion = sourceVersion
        out.push(p)
      }
    }
    pkg = status = version = source = undefined
  }

  // Only four fields matter, so lines are examined in place and sliced only when they are one.
  const n = text.length
  let pos = 0
  while (pos <= n) {
    let end = text.indexOf('\n', pos)
    if (end === -1) end = n
    let lineEnd = end
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--
    const c = text.charCodeAt(pos)
    if (lineEnd === pos) {
      flush()
    } else if (c === 32 || c === 9) {
      // A continuation line, unless it is only blanks, which also ends a stanza.
      let i = pos
      while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++
      if (i === lineEnd) flush()
    } else if (c === 80 && text.startsWith('Package:', pos)) {
      pkg = text.slice(pos + 8, lineEnd).trim()
    } else if (c === 83 && text.startsWith('Status:', pos)) {
      status = text.slice(pos + 7, lineEnd).trim()
    } else if (c === 83 && text.startsWith('Source:', pos)) {
      source = text.slice(pos + 7, lineEnd).trim()
    } else if (c === 86 && text.startsWith('Version:', pos)) {
      version = text.slice(pos + 8, lineEnd).trim()
    }
    pos = end + 1
  }
  flush()
  return out
}

export const dpkgStatus: LockfileParser = {
  id: 'dpkg-status',
  // status.d/ holds `<pkg>` stanzas (any name) next to `<pkg>.md5sums` file lists.
  matches: ruled((name) => !name.endsWith('.md5sums'), (relPath) => {
    const path = normalized(relPath)
    if (path === 'var/lib/dpkg/status' || path.endsWith('/var/lib/dpkg/status')) return true
    return isStatusD(path) && !path.endsWith('.md5sums') && path.indexOf('/', path.lastIndexOf('/status.d/') + 10) === -1
  }),
  parse: parseDpkgStatus,
}
