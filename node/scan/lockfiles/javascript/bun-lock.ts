// Bun: bun.lock, a JSON document that allows trailing commas (JSONC). `packages` maps a
// key to `[ "name@version", registry, info, integrity ]`; workspace and link entries are the
// project's own folders, not dependencies; file: dependencies have no version; git entries
// carry their commit.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, basename, type LockfileParser, type ParseContext } from '../parser.ts'
import { isObject } from '../ecosystems/json-document.ts'
import { uniquePackages } from '../unique-packages.ts'
import { commitOf, npmPackage } from './npm-package.ts'

/** JSONC → JSON: drops comments and trailing commas outside strings. */
function stripJsonc(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') {
      const start = i
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
      out += text.slice(start, i + 1)
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2)
      if (i === -1) break
      i++
    } else if (c === ',') {
      let j = i + 1
      while (j < text.length && /\s/.test(text[j]!)) j++
      if (text[j] !== '}' && text[j] !== ']') out += c
    } else out += c
  }
  return out
}

function parseBunLock(text: string, ctx: ParseContext): Package[] {
  let doc: unknown
  try {
    doc = JSON.parse(stripJsonc(text))
  } catch (err) {
    throw new LockfileError('bad-syntax', `bun.lock: not valid JSON: ${(err as Error).message}`, { cause: err })
  }
  if (!isObject(doc)) throw new LockfileError('bad-structure', 'bun.lock: top level is not an object')
  if (doc.packages === undefined) return []
  if (!isObject(doc.packages)) throw new LockfileError('bad-structure', 'bun.lock: packages is not an object')
  const out: Package[] = []
  for (const [key, value] of Object.entries(doc.packages)) {
    if (!Array.isArray(value) || typeof value[0] !== 'string') throw new LockfileError('bad-structure', `bun.lock: package ${key} is not [name@version, …]`)
    const spec = value[0]
    const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0)
    if (at <= 0) continue
    const name = spec.slice(0, at)
    let version = spec.slice(at + 1)
    if (/^(?:workspace|link):/.test(version)) continue
    let commit: string | undefined
    if (/^(?:git\+|github:|git:|https?:)/.test(version)) {
      // Bun pins git dependencies by a (possibly short) commit after `#`.
      const frag = version.slice(version.lastIndexOf('#') + 1)
      commit = commitOf(version) ?? (/^[0-9a-f]{7,40}$/.test(frag) ? frag : undefined)
      version = ''
    } else if (version.startsWith('file:')) version = ''
    else if (version.startsWith('npm:')) version = version.slice(version.lastIndexOf('@') + 1)
    out.push(npmPackage(name, version, ctx.path, { commit }))
  }
  return uniquePackages(out)
}

export const bunLock: LockfileParser = {
  id: 'bun-lock',
  matches: (relPath) => basename(relPath) === 'bun.lock',
  parse: parseBunLock,
}
