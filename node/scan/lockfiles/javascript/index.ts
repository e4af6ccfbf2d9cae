// JavaScript lockfiles: npm, Yarn (classic and Berry), pnpm, Bun.
import type { LockfileParser } from '../parser.ts'
import { bunLock } from './bun-lock.ts'
import { packageLock } from './package-lock.ts'
import { pnpmLock } from './pnpm-lock.ts'
import { yarnLock } from './yarn-lock.ts'

export const parsers: LockfileParser[] = [packageLock, yarnLock, pnpmLock, bunLock]

export const fixtureFormats: Record<string, string> = {
  'osv-scanner-v1/npm': 'package-lock',
  'osv-scanner-v1/yarn': 'yarn-lock',
  'osv-scanner-v1/pnpm': 'pnpm-lock',
  'osv-scalibr/javascript/pnpmlock': 'pnpm-lock',
  'osv-scalibr/javascript/bunlock': 'bun-lock',
  'osv-scalibr/javascript/packagelockjson': 'package-lock',
  'osv-scalibr/javascript/yarnlock': 'yarn-lock',
}

const ROOT_WORKSPACE = 'osv-scanner lists the root workspace (`name@workspace:.`), the project itself, as a package; osv-scalibr and ZeroTrace do not'
const WORKSPACE = 'osv-scalibr lists a non-root workspace (`@ws/ansi-regex@workspace:ansi-regex`, version 0.0.0-use.local) as a package; ZeroTrace skips every workspace: it is the project\'s own code, and its placeholder version would match advisories of a public package of that name'

export const knownDifferences: Record<string, string> = {
  'osv-scanner-v1/fixtures/yarn/with-aliases.v2.lock#TestParseYarnLock_v2_WithAliases': ROOT_WORKSPACE,
  'osv-scanner-v1/fixtures/yarn/with-build-string.v2.lock#TestParseYarnLock_v2_WithBuildString': ROOT_WORKSPACE,
  'osv-scanner-v1/fixtures/yarn/with-prerelease.v2.lock#TestParseYarnLock_v2_WithPrerelease': ROOT_WORKSPACE,
  'osv-scalibr/javascript/yarnlock/testdata/exclude-root.v2.lock#exclude root': WORKSPACE,
}
