// The import arrows of DESIGN.md, checked over the real source tree: a folder imports only
// the folders it may, only through their index.ts, web sees hub as types only, and the
// pure layers (protocol/, keys/, advisories/) never pull in network code.
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import fg from 'fast-glob'

const ROOT = resolve(import.meta.dirname, '..')

/** Which top-level folders each folder may import. test/ and scripts/ may import anything. */
export const ALLOWED: Record<string, string[]> = {
  cli: ['node', 'hub', 'mesh', 'report', 'crdt', 'keys', 'protocol', 'advisories'],
  node: ['mesh', 'report', 'crdt', 'keys', 'protocol', 'advisories'],
  hub: ['mesh', 'report', 'crdt', 'keys', 'protocol', 'advisories'],
  report: ['crdt', 'protocol'],
  mesh: ['crdt', 'keys', 'protocol'],
  web: ['hub'],
  crdt: ['keys', 'protocol'],
  advisories: ['protocol'],
  keys: ['protocol'],
  protocol: [],
}
const TYPE_ONLY: Record<string, string[]> = { web: ['hub'] }
const NO_NETWORK = ['protocol', 'keys', 'advisories', 'report']
const NETWORK_MODULES = /^(node:)?(net|http|https|http2|dgram|tls|dns)$|^libp2p$|^@libp2p\/(tcp|websockets)$|^@chainsafe\/libp2p-|^ws$|^undici$/

interface Import { spec: string, typeOnly: boolean, line: number }

/** Static and dynamic import/export-from specifiers of a TypeScript source. */
export function importsOf(source: string): Import[] {
  const out: Import[] = []
  const re = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm
  for (const m of source.matchAll(re)) {
    const spec = m[3] ?? m[4]!
    const line = source.slice(0, m.index).split('\n').length
    out.push({ spec, typeOnly: m[2] !== undefined, line })
  }
  return out
}

const topOf = (file: string) => relative(ROOT, file).split(sep)[0]!

describe('import graph (DESIGN.md "Folders and the way imports run")', () => {
  const files = fg.sync(['{cli,node,hub,mesh,report,web,protocol,crdt,keys,advisories}/**/*.ts'], { cwd: ROOT, absolute: true, ignore: ['**/node_modules/**', 'web/dist/**'] })

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10)
  })

  it('imports run only the allowed ways, through each folder\'s index.ts', () => {
    const violations: string[] = []
    for (const file of files) {
      const from = topOf(file)
      const isTest = file.endsWith('.test.ts')
      for (const imp of importsOf(readFileSync(file, 'utf8'))) {
        const where = `${relative(ROOT, file)}:${imp.line} imports '${imp.spec}'`
        if (NO_NETWORK.includes(from) && NETWORK_MODULES.test(imp.spec)) violations.push(`${where}: ${from}/ does no network I/O`)
        if (!imp.spec.startsWith('.')) continue
        const target = resolve(dirname(file), imp.spec)
        const to = topOf(target)
        if (to === from) continue
        if (isTest && (to === 'test' || to === 'scripts')) continue
        if (!(ALLOWED[from] ?? []).includes(to)) { violations.push(`${where}: ${from}/ may not import ${to}/`); continue }
        if (relative(ROOT, target) !== join(to, 'index.ts')) violations.push(`${where}: import ${to}/index.ts, not its insides`)
        if ((TYPE_ONLY[from] ?? []).includes(to) && !imp.typeOnly) violations.push(`${where}: ${from}/ may import ${to}/ only with 'import type'`)
      }
    }
    expect(violations).toEqual([])
  })

  it('the checker catches a forbidden import', () => {
    expect(importsOf("import { x } from '../hub/index.ts'\nexport type { Y } from './y.ts'\nconst m = await import('../node/index.ts')"))
      .toEqual([
        { spec: '../hub/index.ts', typeOnly: false, line: 1 },
        { spec: './y.ts', typeOnly: true, line: 2 },
        { spec: '../node/index.ts', typeOnly: false, line: 3 },
      ])
  })
})
