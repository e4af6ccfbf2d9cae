// parserFor finds named parsers by a lookup of the basename: it must give what asking every
// parser in turn gives, for every file of the shared fixtures and for paths near the rules.
import { describe, it, expect } from 'vitest'
import { readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parserFor, parsers } from './index.ts'

const DATA = resolve(import.meta.dirname, '../../../../shared/data/lockfiles')

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)))
}

describe('parserFor', () => {
  it('claims a path exactly as asking every parser in order would', () => {
    const paths = [
      ...filesUnder(DATA),
      'package-lock.json', 'app/npm-shrinkwrap.json', 'a\\b\\yarn.lock', 'Pipfile.lock', 'pipfile.lock', 'requirements/base.txt',
      'dev-requirements.txt', 'requirements-dev.lock', 'pylock.toml', 'pylock.dev.toml', 'var/lib/dpkg/status', 'lib/apk/db/installed',
      'gradle.lockfile', 'buildscript-gradle.lockfile', 'Gemfile.lock', 'gems.locked', 'go.mod', 'package-lock.json.bak', 'README.md', '',
      // One name, claimed or not by where it is (the name's plan is made once, then reused).
      'base.txt', 'requirements/base.txt', 'Requirements\\base.txt', 'app/base.txt', 'REQUIREMENTS-DEV.TXT', 'requirements.lock.bak',
      'gradle/dependency-locks/compileClasspath.lockfile', 'compileClasspath.lockfile', 'x/gradle/dependency-locks/a.lockfile',
      'var/lib/dpkg/status.d/libc6', 'var/lib/dpkg/status.d/libc6.md5sums', 'libc6', 'srv/var/lib/dpkg/status', 'status',
      'lib/apk/db/installed', 'installed', 'pylock.dev.toml', 'pylock.a.b.toml', 'var/lib/dpkg/status.d/package-lock.json',
    ]
    let claimed = 0
    for (const path of paths) {
      const expected = parsers.find((p) => p.matches(path))
      expect(parserFor(path)?.id, path).toBe(expected?.id)
      if (expected) claimed++
    }
    expect(claimed).toBeGreaterThan(15)
  })
})
