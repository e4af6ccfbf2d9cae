// Python: requirements files and the Pipenv, Poetry, PDM, uv and PEP 751 lockfiles.
import type { LockfileParser } from '../parser.ts'
import { pipfileLock } from './pipfile-lock.ts'
import { requirements } from './requirements.ts'
import { pdmLock, poetryLock, pylockToml, uvLock } from './toml-locks.ts'

export const parsers: LockfileParser[] = [requirements, pipfileLock, poetryLock, pdmLock, uvLock, pylockToml]

export const fixtureFormats: Record<string, string> = {
  'osv-scanner-v1/pip': 'requirements',
  'osv-scanner-v1/pipenv': 'pipfile-lock',
  'osv-scanner-v1/poetry': 'poetry-lock',
  'osv-scanner-v1/pdm': 'pdm-lock',
  'osv-scalibr/python/requirements': 'requirements',
  'osv-scalibr/python/pipfilelock': 'pipfile-lock',
  'osv-scalibr/python/poetrylock': 'poetry-lock',
  'osv-scalibr/python/pdmlock': 'pdm-lock',
  'osv-scalibr/python/uvlock': 'uv-lock',
  'osv-scalibr/python/pylock': 'pylock',
}

const UNPINNED = 'osv-scanner reports an unpinned requirement as version 0.0.0, which matches every advisory introduced at 0; ZeroTrace leaves the version empty (as osv-scalibr) and does not guess'

export const knownDifferences: Record<string, string> = {
  'osv-scanner-v1/fixtures/pip/one-package-unconstrained.txt#TestParseRequirementsTxt_OneRequirementUnconstrained': UNPINNED,
  'osv-scanner-v1/fixtures/pip/multiple-packages-mixed.txt#TestParseRequirementsTxt_MultipleRequirementsMixed': UNPINNED,
  'osv-scanner-v1/fixtures/pip/file-format-example.txt#TestParseRequirementsTxt_FileFormatExample': UNPINNED,
  'osv-scanner-v1/fixtures/pip/with-multiple-r-options.txt#TestParseRequirementsTxt_WithMultipleROptions': UNPINNED,
}
