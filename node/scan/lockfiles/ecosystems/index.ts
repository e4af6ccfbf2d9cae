// Lockfiles and manifests of the ecosystems beyond JavaScript and Python: Go, Rust, Ruby,
// PHP, Dart, Elixir/Erlang, .NET, Java (Gradle, Maven), R and C/C++.
import type { LockfileParser } from '../parser.ts'
import { cargoLock } from './cargo-lock.ts'
import { composerLock } from './composer-lock.ts'
import { conanLock } from './conan-lock.ts'
import { gemfileLock } from './gemfile-lock.ts'
import { goMod } from './go-mod.ts'
import { gradleLockfile } from './gradle-lockfile.ts'
import { mixLock } from './mix-lock.ts'
import { nugetLock } from './nuget-lock.ts'
import { pomXml } from './pom-xml.ts'
import { pubspecLock } from './pubspec-lock.ts'
import { renvLock } from './renv-lock.ts'

export const parsers: LockfileParser[] = [
  goMod, cargoLock, gemfileLock, composerLock, pubspecLock, mixLock, nugetLock, gradleLockfile, pomXml, renvLock, conanLock,
]

export const fixtureFormats: Record<string, string> = {
  'osv-scanner-v1/go': 'go-mod',
  'osv-scanner-v1/cargo': 'cargo-lock',
  'osv-scanner-v1/bundler': 'gemfile-lock',
  'osv-scanner-v1/composer': 'composer-lock',
  'osv-scanner-v1/pub': 'pubspec-lock',
  'osv-scanner-v1/mix': 'mix-lock',
  'osv-scanner-v1/nuget': 'nuget-lock',
  'osv-scanner-v1/gradle': 'gradle-lockfile',
  'osv-scanner-v1/maven': 'pom-xml',
  'osv-scanner-v1/renv': 'renv-lock',
  'osv-scanner-v1/conan': 'conan-lock',
  'osv-scalibr/golang/gomod': 'go-mod',
  'osv-scalibr/rust/cargolock': 'cargo-lock',
  'osv-scalibr/ruby/gemfilelock': 'gemfile-lock',
  'osv-scalibr/php/composerlock': 'composer-lock',
  'osv-scalibr/dart/pubspec': 'pubspec-lock',
  'osv-scalibr/elixir/mixlock': 'mix-lock',
  'osv-scalibr/erlang/mixlock': 'mix-lock',
  'osv-scalibr/dotnet/packageslockjson': 'nuget-lock',
  'osv-scalibr/java/gradlelockfile': 'gradle-lockfile',
  'osv-scalibr/java/pomxml': 'pom-xml',
  'osv-scalibr/r/renvlock': 'renv-lock',
  'osv-scalibr/cpp/conanlock': 'conan-lock',
}

export const knownDifferences: Record<string, string> = {
  'osv-scanner-v1/fixtures/maven/with-dependency-management.xml#TestParseMavenLock_WithDependencyManagement':
    'dependencyManagement only sets versions (as in Maven and osv-scalibr), so an entry no dependency uses is no package',
  'osv-scanner-v1/fixtures/maven/interpolation.xml#TestParseMavenLock_Interpolation':
    'its ranged-package is declared only in dependencyManagement, which sets versions and declares no package (as osv-scalibr)',
  'osv-scalibr/java/pomxml/testdata/with-parent.xml#with parent':
    'org.dave:dave is declared only in the parent POM; a pom.xml is read on its own (no parent resolution), so a cached result never depends on another file',
  'osv-scalibr/golang/gomod/testdata/indirect-packages.mod#exclude indirect':
    'an extractor option (ExcludeIndirect); we keep indirect modules and mark them direct: false instead',
  'osv-scalibr/golang/gomod/testdata/indirect-1.16.mod#exclude indirect with go.sum':
    'an extractor option (ExcludeIndirect); we keep go.sum-only modules and mark them direct: false instead',
}
