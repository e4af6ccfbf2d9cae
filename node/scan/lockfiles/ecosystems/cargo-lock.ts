// Rust: Cargo.lock, every [[package]] of the resolved graph (workspace members included,
// as they are crates too). [[patch.unused]] entries are not part of the build and are skipped.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'
import { readTomlLines, tomlString } from './toml-lines.ts'

const ECOSYSTEM = 'crates.io'

function parseCargoLock(text: string, ctx: ParseContext): Package[] {
  const out: Package[] = []
  let inPackage = false
  let startLine = 0
  let name: string | undefined
  let version: string | undefined
  let source: string | undefined

  const flush = (): void => {
    if (!inPackage) return
    if (name === undefined || version === undefined) {
      throw new LockfileError('bad-structure', `Cargo.lock line ${startLine}: [[package]] without name and version`)
    }
    const p: Package = { ecosystem: ECOSYSTEM, name, version, source: ctx.path }
    // `git+https://…?rev=x#<full sha>`: the fragment is the exact commit built.
    if (source?.startsWith('git+')) {
      const hash = source.lastIndexOf('#')
      if (hash !== -1) p.commit = source.slice(hash + 1)
    }
    out.push(p)
    inPackage = false
  }

  readTomlLines(text, 'Cargo.lock', (line, lineNo) => {
    if (line.kind === 'table') {
      flush()
      if (line.array && line.name === 'package') {
        inPackage = true
        startLine = lineNo
        name = version = source = undefined
      }
      return
    }
    if (!inPackage) return
    if (line.key === 'name' || line.key === 'version' || line.key === 'source') {
      const value = tomlString(line.raw)
      if (value === undefined) throw new LockfileError('bad-structure', `Cargo.lock line ${lineNo}: ${line.key} is not a string`)
      if (line.key === 'name') name = value
      else if (line.key === 'version') version = value
      else source = value
    }
  })
  flush()
  return out
}

export const cargoLock: LockfileParser = {
  id: 'cargo-lock',
  matches: named('Cargo.lock'),
  parse: parseCargoLock,
}
