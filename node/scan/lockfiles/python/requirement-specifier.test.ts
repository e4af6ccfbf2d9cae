import { describe, expect, it } from 'vitest'
import { parseRequirement } from './requirement-specifier.ts'

describe('parseRequirement', () => {
  it.each([
    ['django==2.2.24', 'django', '2.2.24', true],
    ['docopt == 0.6.1', 'docopt', '0.6.1', true],
    ['yolo===1.0', 'yolo', '1.0', true],
    ['Twisted[http2]==20.3.0', 'Twisted', '20.3.0', true],
    ['celery [redis, pytest] == 4.4.7', 'celery', '4.4.7', true],
    ['zope.interface==5.4.0', 'zope.interface', '5.4.0', true],
    ['combination-._-.also_-._valid>=3.5', 'combination-._-.also_-._valid', '3.5', false],
    ['keyring >= 4.1.1', 'keyring', '4.1.1', false],
    ['Mopidy-Dirble ~= 1.1', 'Mopidy-Dirble', '1.1', false],
    ['pkg<=1.2.3', 'pkg', '1.2.3', false],
    ['lib>=1.0,<2.0', 'lib', '1.0', false],
    ['lib<2.0,>=1.0', 'lib', '1.0', false],
    ['lib (>=1.0, <2)', 'lib', '1.0', false],
    ['flask', 'flask', '', false],
    ['coverage != 3.5', 'coverage', '', false],
    ['lib<2.0', 'lib', '', false],
    ['lib>1.0', 'lib', '', false],
    ['asdf==0.7.*', 'asdf', '', false],
    ['requests [security] >= 2.8.1, == 2.8.* ; python_version < "2.7"', 'requests', '', false],
    ['foo5==1.0; python_version < "2.7" --hash=sha256:123', 'foo5', '1.0', true],
    ['foo==1.0 --hash=sha256:abc --hash=sha256:def', 'foo', '1.0', true],
    ['foo14==1.0 -C bar', 'foo14', '1.0', true],
    ['foo17--hash==1.0', 'foo17--hash', '1.0', true],
    ['pywin32==306; sys_platform == "win32"', 'pywin32', '306', true],
    ['name[extra];python_version>"3"', 'name', '', false],
  ])('%s → %s %s', (line, name, version, exact) => {
    expect(parseRequirement(line)).toEqual({ name, version, exact })
  })

  it.each([
    ['a URL reference', 'urllib3 @ https://github.com/urllib3/urllib3/archive/refs/tags/1.26.8.zip'],
    ['a VCS URL', 'git+https://github.com/org/repo.git@v1#egg=repo'],
    ['a plain URL', 'http://wxpython.org/Phoenix/snapshot-builds/wxPython_Phoenix-3.0.3-cp34-none-win_amd64.whl'],
    ['a local path', './downloads/numpy-1.9.2-cp34-none-win32.whl'],
    ['an archive file name', 'numpy-1.9.2-cp34-none-win32.whl'],
    ['an empty version', 'asdf=='],
    ['an empty version before options', 'foo10== --hash=sha256:123'],
    ['no name', '==1.0'],
    ['a version without operator', 'asdf 1.0'],
    ['an environment variable', 'qwert==${MY_VARIABLE_1}'],
    ['an unclosed extras list', 'name[extra==1.0'],
    ['a name ending in a separator', 'name-==1.0'],
    ['an unknown operator', 'name=>1.0'],
  ])('gives nothing for %s', (_, line) => {
    expect(parseRequirement(line)).toBeUndefined()
  })
})
