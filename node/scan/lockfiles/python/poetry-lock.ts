// Poetry: poetry.lock. Groups: Poetry 2 lists each package's dependency groups (`main` is
// the project's own, so a package in it is a production one), Poetry 1 a `category`;
// `optional = true` marks packages only an extra pulls in. Git sources carry their commit
// in `resolved_reference`.
import type { Package } from '../../../../protocol/index.ts'
import { named, type LockfileParser, type ParseContext } from '../parser.ts'
import { uniquePackages } from '../unique-packages.ts'
import { booleanField, readLockTables, stringField, stringsField, tableField } from './lock-tables.ts'
import { pypiPackage } from './pypi-package.ts'

const FORMAT = 'poetry.lock'
const KEYS = new Set(['name', 'version', 'groups', 'category', 'optional', 'source'])

function parsePoetryLock(text: string, ctx: ParseContext): Package[] {
  const { entries } = readLockTables(text, FORMAT, { array: 'package', keys: KEYS })
  const out: Package[] = []
  for (const e of entries) {
    const name = stringField(e, 'name', FORMAT)
    const version = stringField(e, 'version', FORMAT)
    if (!name || version === undefined) continue
    const listed = stringsField(e, 'groups', FORMAT)
    const groups = listed !== undefined
      ? (listed.includes('main') ? [] : [...new Set(listed)])
      : (stringField(e, 'category', FORMAT) === 'dev' ? ['dev'] : [])
    if (booleanField(e, 'optional', FORMAT) === true) groups.push('optional')
    const source = tableField(e, 'source', FORMAT)
    const commit = source && stringField(source, 'type', FORMAT) === 'git' ? stringField(source, 'resolved_reference', FORMAT) : undefined
    out.push(pypiPackage(name, version, ctx.path, { groups, commit }))
  }
  return uniquePackages(out)
}

export const poetryLock: LockfileParser = {
  id: 'poetry-lock',
  matches: named('poetry.lock'),
  parse: parsePoetryLock,
}
