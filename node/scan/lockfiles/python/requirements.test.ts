import { describe, expect, it } from 'vitest'
import { requirements } from './requirements.ts'

/** A tree of files, relative to the scan root; the parser is given `path`. */
function parseIn(files: Record<string, string>, path: string) {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : ''
  const reads: string[] = []
  const packages = requirements.parse(files[path]!, {
    path,
    readRelative: (rel) => {
      const parts: string[] = []
      for (const part of (dir + rel).split('/')) {
        if (part === '..') parts.pop()
        else if (part !== '.' && part !== '') parts.push(part)
      }
      reads.push(parts.join('/'))
      return files[parts.join('/')]
    },
  })
  return { packages, reads, summary: packages.map((p) => [p.name, p.version, p.groups ?? []]) }
}

describe('requirements', () => {
  it('reads pins, ranges, extras, markers and per-requirement options, in the group of the file', () => {
    const { packages, summary } = parseIn({
      'requirements.txt': [
        '# comment',
        '--index-url https://pypi.example.invalid/simple',
        'Django==4.2.1 --hash=sha256:00',
        'requests[socks] >= 2.31.0 ; python_version >= "3.8"',
        'flask',
        '-e git+https://github.com/org/repo.git#egg=repo',
        'FooProject == 1.2 \\',
        '  --hash=sha256:2cf2 \\',
        '  --hash=sha256:486e',
      ].join('\n'),
    }, 'requirements.txt')
    expect(summary).toEqual([
      ['Django', '4.2.1', ['requirements']],
      ['requests', '2.31.0', ['requirements']],
      ['flask', '', ['requirements']],
      ['FooProject', '1.2', ['requirements']],
    ])
    expect(packages[0]).toEqual({ ecosystem: 'PyPI', name: 'Django', version: '4.2.1', source: 'requirements.txt', groups: ['requirements'] })
  })

  it('follows -r includes relative to the including file, each package in the groups of the files requiring it', () => {
    const { summary } = parseIn({
      'app/requirements-dev.txt': '-r requirements/base.txt\n--requirement=requirements/test.txt\npandas==0.23.4\nrequests==1.2.3\n',
      'app/requirements/base.txt': 'django==0.1.0\n',
      'app/requirements/test.txt': '-r base.txt\nrequests==1.2.3\nunittest==1.0.0\n',
    }, 'app/requirements-dev.txt')
    expect(summary).toEqual([
      ['django', '0.1.0', ['base']],
      ['requests', '1.2.3', ['test', 'requirements-dev']],
      ['unittest', '1.0.0', ['test']],
      ['pandas', '0.23.4', ['requirements-dev']],
    ])
  })

  it('stops include cycles, however the path is spelled', () => {
    const { summary, reads } = parseIn({
      'pip/a.txt': '-r ./b.txt\na==1\n',
      'pip/b.txt': '-r ./../pip/a.txt\n-r c.txt\nb==2\n',
      'pip/c.txt': '-r a.txt\n-r b.txt\n-r c.txt\nc==3\n',
    }, 'pip/a.txt')
    expect(summary.map((s) => `${s[0]}@${s[1]}`).sort()).toEqual(['a@1', 'b@2', 'c@3'])
    expect(reads.sort()).toEqual(['pip/b.txt', 'pip/c.txt'])
  })

  it('pins what the requirements leave open from -c constraints files, adding nothing of their own', () => {
    const { summary } = parseIn({
      'requirements.txt': '-c constraints.txt\nflask\nrequests>=2.0\ndjango==4.2.1\nnumpy!=1.0\n',
      'constraints.txt': '-r more-constraints.txt\nflask==2.0.1\nrequests==2.31.0\ndjango==4.0.0\nunrelated==9.9\n',
      'more-constraints.txt': 'NumPy==1.26.4\n',
    }, 'requirements.txt')
    expect(summary).toEqual([
      ['flask', '2.0.1', ['requirements']],
      ['requests', '2.31.0', ['requirements']],
      ['django', '4.2.1', ['requirements']],
      ['numpy', '1.26.4', ['requirements']],
    ])
  })

  it('reads no file outside the scanned tree, nor URLs', () => {
    const { summary, reads } = parseIn({
      'requirements.txt': '-r ../outside.txt\n-r /etc/passwd\n-r C:\\secrets.txt\n-r https://example.invalid/r.txt\n-r sub/../../escape.txt\nok==1\n',
    }, 'requirements.txt')
    expect(summary).toEqual([['ok', '1', ['requirements']]])
    expect(reads).toEqual([])
  })

  it('allows .. that stays inside the tree, and ignores includes that do not exist', () => {
    const { summary } = parseIn({
      'svc/requirements.txt': '-r ../common/requirements.txt\n-r missing.txt\nsvc==1\n',
      'common/requirements.txt': 'common==2\n',
    }, 'svc/requirements.txt')
    expect(summary).toEqual([['common', '2', ['requirements']], ['svc', '1', ['requirements']]])
  })

  it('bounds include chains that never repeat a path', () => {
    const files: Record<string, string> = { 'requirements.txt': '-r d/r.txt\n' }
    let prefix = ''
    for (let i = 0; i < 40; i++) {
      prefix += 'd/'
      files[`${prefix}r.txt`] = `-r d/r.txt\npkg${i}==1\n`
    }
    const { summary } = parseIn(files, 'requirements.txt')
    expect(summary.length).toBe(16)
  })

  it('reports the same package and version once, but different versions separately', () => {
    const { summary } = parseIn({ 'requirements.txt': 'six==1.16.0\nSix==1.16.0\nsix\n' }, 'requirements.txt')
    expect(summary).toEqual([['six', '1.16.0', ['requirements']], ['six', '', ['requirements']]])
  })

  it('claims requirements files by their usual names', () => {
    for (const p of ['requirements.txt', 'a/requirements-dev.txt', 'dev-requirements.txt', 'requirements/base.txt', 'x\\requirements\\prod.txt', 'requirements.lock', 'requirements-dev.lock']) {
      expect(requirements.matches(p), p).toBe(true)
    }
    for (const p of ['constraints.txt', 'notes.txt', 'requirements.in', 'my-requirements/base.txt', 'requirements/base.in']) {
      expect(requirements.matches(p), p).toBe(false)
    }
  })
})
