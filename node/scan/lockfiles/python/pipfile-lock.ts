// Pipenv: Pipfile.lock (JSON); `default` packages and `develop` ones (dev group). Versions
// are pinned as `==x`; VCS entries carry their commit in `ref`.
import type { Package } from '../../../../protocol/index.ts'
import { basename, type LockfileParser, type ParseContext } from '../parser.ts'
import { isObject, parseJsonObject, stringField } from '../ecosystems/json-document.ts'
import { pypiPackage } from './pypi-package.ts'
import { uniquePackages } from '../unique-packages.ts'

function parsePipfileLock(text: string, ctx: ParseContext): Package[] {
  const doc = parseJsonObject(text, 'Pipfile.lock')
  const out: Package[] = []
  for (const [section, groups] of [['default', []], ['develop', ['dev']]] as const) {
    const deps = doc[section]
    if (!isObject(deps)) continue
    for (const [name, entry] of Object.entries(deps)) {
      if (!isObject(entry)) continue
      const version = stringField(entry, 'version')
      if (version === undefined) continue
      out.push(pypiPackage(name, version.replace(/^===?/, ''), ctx.path, { groups: [...groups], commit: stringField(entry, 'ref') }))
    }
  }
  return uniquePackages(out)
}

export const pipfileLock: LockfileParser = {
  id: 'pipfile-lock',
  matches: (relPath) => basename(relPath) === 'Pipfile.lock',
  parse: parsePipfileLock,
}
