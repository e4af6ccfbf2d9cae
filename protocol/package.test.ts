import { describe, expect, it } from 'vitest'
import { purlOf } from './package.ts'

describe('purlOf', () => {
  it('writes each ecosystem\'s purl type, namespace, normalized name and encoded version', () => {
    const cases: [string, string, string, string | undefined][] = [
      ['npm', 'lodash', '4.17.21', 'pkg:npm/lodash@4.17.21'],
      ['npm', '@babel/core', '7.24.0', 'pkg:npm/%40babel/core@7.24.0'],
      ['PyPI', 'Django', '4.2.1', 'pkg:pypi/django@4.2.1'],
      ['PyPI', 'Zope.Interface', '5.4.0', 'pkg:pypi/zope-interface@5.4.0'],
      ['NuGet', 'Shared.Lib', '1.0.0', 'pkg:nuget/Shared.Lib@1.0.0'],
      ['Go', 'github.com/a/b', '1.2.3', 'pkg:golang/github.com/a/b@1.2.3'],
      ['Maven', 'com.google.guava:guava', '32.1.2-jre', 'pkg:maven/com.google.guava/guava@32.1.2-jre'],
      ['Maven', 'org.lib:lib', '2.1.3', 'pkg:maven/org.lib/lib@2.1.3'],
      ['Packagist', 'a/one', '1.0.0', 'pkg:composer/a/one@1.0.0'],
      ['Hex', 'plug', '1.11.1', 'pkg:hex/plug@1.11.1'],
      ['ConanCenter', 'openssl', '3.1.0', 'pkg:conan/openssl@3.1.0'],
      ['CRAN', 'markdown', '1.0', 'pkg:cran/markdown@1.0'],
      ['crates.io', 'literal', '2.0.0-beta', 'pkg:cargo/literal@2.0.0-beta'],
      ['Pub', 'http', '1.10.0', 'pkg:pub/http@1.10.0'],
      ['RubyGems', 'rails', '7.1.0', 'pkg:gem/rails@7.1.0'],
      ['Debian:12', 'libc6', '2.36-9+deb12u4', 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?distro=12'],
      ['Alpine:v3.20', 'libcrypto3', '3.3.2-r0', 'pkg:apk/alpine/libcrypto3@3.3.2-r0?distro=v3.20'],
      ['Hex', 'git_dep', '', 'pkg:hex/git_dep'],
      ['SwiftURL', 'x', '1', undefined],
    ]
    for (const [ecosystem, name, version, purl] of cases) expect([ecosystem, name, version, purlOf(ecosystem, name, version)]).toEqual([ecosystem, name, version, purl])
  })
})
