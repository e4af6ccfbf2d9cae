// PHP: composer.lock. `packages` are the runtime set, `packages-dev` the dev group.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError, named } from '../parser.ts'
import type { LockfileParser, ParseContext } from '../parser.ts'
import { isObject, parseJsonObject, stringField } from './json-document.ts'

const ECOSYSTEM = 'Packagist'

function parseComposerLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseJsonObject(text, 'composer.lock')
  const out: Package[] = []
  for (const [key, dev] of [['packages', false], ['packages-dev', true]] as const) {
    const list = doc[key]
    if (list === undefined || list === null) continue
    if (!Array.isArray(list)) throw new LockfileError('bad-structure', `composer.lock: ${key} is not an array`)
    for (let i = 0; i < list.length; i++) {
      const entry: unknown = list[i]
      const name = isObject(entry) ? stringField(entry, 'name') : undefined
      const version = isObject(entry) ? stringField(entry, 'version') : undefined
      if (name === undefined || version === undefined) {
        throw new LockfileError('bad-structure', `composer.lock: ${key}[${i}] has no name and version`)
      }
      const p: Package = { ecosystem: ECOSYSTEM, name, version, source: ctx.path }
      // The source reference is the commit installed; dist carries it when source is absent.
      const src = (entry as Record<string, unknown>).source
      const dist = (entry as Record<string, unknown>).dist
      const commit = (isObject(src) ? stringField(src, 'reference') : undefined) ?? (isObject(dist) ? stringField(dist, 'reference') : undefined)
      if (commit) p.commit = commit
      if (dev) p.groups = ['dev']
      out.push(p)
    }
  }
  return out
}

export const composerLock: LockfileParser = {
  id: 'composer-lock',
  matches: named('composer.lock'),
  parse: parseComposerLock,
}
