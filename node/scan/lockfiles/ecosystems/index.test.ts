import { describe, expect, it } from 'vitest'
import * as ecosystems from './index.ts'
import * as os from '../os/index.ts'

const groups = { ecosystems, os }

describe('ecosystem and OS parser groups', () => {
  const all = [...ecosystems.parsers, ...os.parsers]

  it('have unique ids, and every fixture format names one of them', () => {
    const ids = all.map((p) => p.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const [name, group] of Object.entries(groups)) {
      for (const [format, id] of Object.entries(group.fixtureFormats)) {
        expect(group.parsers.map((p) => p.id), `${name}: ${format}`).toContain(id)
      }
    }
  })

  it('claim each real-world file name with exactly one parser', () => {
    const cases: [string, string][] = [
      ['svc/go.mod', 'go-mod'], ['crate/Cargo.lock', 'cargo-lock'], ['app/Gemfile.lock', 'gemfile-lock'],
      ['app/gems.locked', 'gemfile-lock'], ['web/composer.lock', 'composer-lock'], ['mobile/pubspec.lock', 'pubspec-lock'],
      ['api/mix.lock', 'mix-lock'], ['src/App/packages.lock.json', 'nuget-lock'], ['java/gradle.lockfile', 'gradle-lockfile'],
      ['java/pom.xml', 'pom-xml'], ['r/renv.lock', 'renv-lock'], ['cpp/conan.lock', 'conan-lock'],
      ['var/lib/dpkg/status', 'dpkg-status'], ['lib/apk/db/installed', 'apk-installed'],
    ]
    for (const [path, id] of cases) {
      expect(all.filter((p) => p.matches(path)).map((p) => p.id), path).toEqual([id])
    }
    for (const path of ['svc/go.sum', 'crate/Cargo.toml', 'app/Gemfile', 'web/composer.json', 'mobile/pubspec.yaml', 'api/mix.exs', 'java/build.gradle', 'README.md']) {
      expect(all.filter((p) => p.matches(path)).map((p) => p.id), path).toEqual([])
    }
  })
})
