import { describe, expect, it } from 'vitest'
import { ecosystemCovers, releaseOf } from './ecosystem-scope.ts'

describe('ecosystemCovers', () => {
  it('scopes distribution advisories to their release', () => {
    expect(ecosystemCovers('Debian:12', 'Debian:12')).toBe(true)
    expect(ecosystemCovers('Debian:11', 'Debian:12')).toBe(false)
    expect(ecosystemCovers('Debian', 'Debian:12')).toBe(true)
    expect(ecosystemCovers('Alpine:v3.20', 'Alpine:3.20')).toBe(true)
    expect(ecosystemCovers('Alpine:v3.19', 'Alpine:v3.20')).toBe(false)
  })
  it('reads Ubuntu LTS and Pro streams as their release', () => {
    expect(ecosystemCovers('Ubuntu:22.04:LTS', 'Ubuntu:22.04')).toBe(true)
    expect(ecosystemCovers('Ubuntu:Pro:18.04:LTS', 'Ubuntu:18.04')).toBe(true)
    expect(ecosystemCovers('Ubuntu:20.04:LTS', 'Ubuntu:22.04')).toBe(false)
    expect(releaseOf('Ubuntu:Pro:18.04:LTS')).toBe('18.04')
  })
  it('lets a package of unknown release meet every release\'s advisories', () => {
    expect(ecosystemCovers('Debian:11', 'Debian')).toBe(true)
  })
  it('never narrows by a registry suffix', () => {
    expect(ecosystemCovers('Packagist:https://packages.drupal.org/8', 'Packagist')).toBe(true)
    expect(ecosystemCovers('Maven', 'Maven:https://maven.google.com')).toBe(true)
  })
  it('keeps ecosystems apart', () => {
    expect(ecosystemCovers('npm', 'PyPI')).toBe(false)
    expect(ecosystemCovers('Debian:12', 'Ubuntu:12')).toBe(false)
  })
})
