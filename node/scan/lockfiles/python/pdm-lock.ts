// PDM: pdm.lock. Each package lists the groups that need it; `default` is the project's
// own dependencies. As osv-scanner reads it, `dev` stays dev and any other group (an extra
// or a named group) is optional. VCS packages carry their commit in `revision`.
import type { Package } from '../../../../protocol/index.ts'
import { named, type LockfileParser, type ParseContext } from '../parser.ts'
import { uniquePackages } from '../unique-packages.ts'
import { readLockTables, stringField, stringsField } from './lock-tables.ts'
import { pypiPackage } from './pypi-package.ts'

const FORMAT = 'pdm.lock'
const KEYS = new Set(['name', 'version', 'groups', 'revision'])

function groupsOf(listed: string[] | undefined): string[] {
  if (listed === undefined || listed.length === 0 || listed.includes('default')) return []
  const out: string[] = []
  if (listed.includes('dev')) out.push('dev')
  if (listed.some((g) => g !== 'dev')) out.push('optional')
  return out
}

function parsePdmLock(text: string, ctx: ParseContext): Package[] {
  const { entries } = readLockTables(text, FORMAT, { array: 'package', keys: KEYS })
  const out: Package[] = []
  for (const e of entries) {
    const name = stringField(e, 'name', FORMAT)
    const version = stringField(e, 'version', FORMAT)
    if (!name || version === undefined) continue
    out.push(pypiPackage(name, version, ctx.path, {
      groups: groupsOf(stringsField(e, 'groups', FORMAT)),
      commit: stringField(e, 'revision', FORMAT),
    }))
  }
  return uniquePackages(out)
}

export const pdmLock: LockfileParser = {
  id: 'pdm-lock',
  matches: named('pdm.lock'),
  parse: parsePdmLock,
}
