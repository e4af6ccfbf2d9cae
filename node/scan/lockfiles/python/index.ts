// Python: pip requirements files and the Pipenv, Poetry, PDM, uv and PEP 751 lockfiles.
import type { LockfileParser } from '../parser.ts'
import { pdmLock } from './pdm-lock.ts'
import { pipfileLock } from './pipfile-lock.ts'
import { poetryLock } from './poetry-lock.ts'
import { pylock } from './pylock.ts'
import { requirements } from './requirements.ts'
import { uvLock } from './uv-lock.ts'

export const parsers: LockfileParser[] = [requirements, pipfileLock, poetryLock, pdmLock, uvLock, pylock]

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

// The two upstream sets disagree on unpinned requirements (`flask`, `coverage != 3.5`):
// osv-scalibr reports them with an empty version, osv-scanner with 0.0.0.
const UNPINNED = 'an unpinned requirement has an empty version, as osv-scalibr reports it; osv-scanner says 0.0.0, a version nobody installed that lies inside every range introduced at 0, so each unpinned requirement would match every advisory ever published for it'

const PIP_CONTINUATION = 'pip joins any line ending in a backslash with the next (req_file.py join_lines strips the backslashes), so `bar == 4.5\\\\` then `.6` installs bar 4.5.6, which we report; osv-scanner treats the doubled backslash as an escape and reports the version `4.5\\\\`, which no index has'

export const knownDifferences: Record<string, string> = {
  'osv-scanner-v1/fixtures/pip/one-package-unconstrained.txt#TestParseRequirementsTxt_OneRequirementUnconstrained': UNPINNED,
  'osv-scanner-v1/fixtures/pip/multiple-packages-mixed.txt#TestParseRequirementsTxt_MultipleRequirementsMixed': UNPINNED,
  'osv-scanner-v1/fixtures/pip/file-format-example.txt#TestParseRequirementsTxt_FileFormatExample': UNPINNED,
  'osv-scanner-v1/fixtures/pip/with-multiple-r-options.txt#TestParseRequirementsTxt_WithMultipleROptions': UNPINNED,
  'osv-scanner-v1/fixtures/pip/line-continuation.txt#TestParseRequirementsTxt_LineContinuation': PIP_CONTINUATION,
}
