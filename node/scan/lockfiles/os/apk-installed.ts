// Alpine: apk's database of installed packages (lib/apk/db/installed), one record per
// package of `X:value` lines. Alpine's advisories name the origin (source) package.
import type { Package } from '../../../../protocol/index.ts'
import { ruled, type LockfileParser, type ParseContext } from '../parser.ts'
import { alpineEcosystem } from './os-release.ts'

function parseApkInstalled(text: string, ctx: ParseContext): Package[] {
  const out: Package[] = []
  let ecosystem: string | undefined
  let name: string | undefined
  let version: string | undefined
  let origin: string | undefined

  const flush = (): void => {
    const pkg = name ?? origin // a record without P: is broken; its origin still says what it is
    if (pkg !== undefined) {
      ecosystem ??= alpineEcosystem(ctx.readRelative('../../../etc/alpine-release'), ctx.readRelative('../../../etc/os-release'))
      const v = version ?? ''
      out.push({ ecosystem, name: pkg, version: v, source: ctx.path, sourceName: origin ?? pkg })
    }
    name = version = origin = undefined
  }

  const n = text.length
  let pos = 0
  while (pos <= n) {
    let end = text.indexOf('\n', pos)
    if (end === -1) end = n
    let lineEnd = end
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--
    if (lineEnd === pos) {
      flush()
    } else if (text.charCodeAt(pos + 1) === 58 /* : */) {
      const key = text.charCodeAt(pos)
      if (key === 80 /* P */) name = text.slice(pos + 2, lineEnd).trim()
      else if (key === 86 /* V */) version = text.slice(pos + 2, lineEnd).trim()
      else if (key === 111 /* o */) origin = text.slice(pos + 2, lineEnd).trim()
    }
    pos = end + 1
  }
  flush()
  return out
}

export const apkInstalled: LockfileParser = {
  id: 'apk-installed',
  matches: ruled((name) => name === 'installed', (relPath) => {
    const path = relPath.includes('\\') ? relPath.replaceAll('\\', '/') : relPath
    return path === 'lib/apk/db/installed' || path.endsWith('/lib/apk/db/installed')
  }),
  parse: parseApkInstalled,
}
