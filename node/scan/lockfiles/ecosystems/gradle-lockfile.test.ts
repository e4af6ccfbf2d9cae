import { describe, expect, it } from 'vitest'
import { gradleLockfile } from './gradle-lockfile.ts'

const parse = (text: string) => gradleLockfile.parse(text, { path: 'gradle.lockfile', readRelative: () => undefined })

describe('gradle-lockfile', () => {
  it('reads group:artifact:version lines, marks test-only ones, and skips what it cannot read', () => {
    const pkgs = parse([
      '# This is a Gradle generated file for dependency locking.',
      'com.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath',
      'junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath',
      'com.google.guava:guava:32.1.2-jre=annotationProcessor',
      'not-a-coordinate=compileClasspath',
      'too:many:colons:here=x',
      'missing::version=x',
      '>>>',
      'empty=',
    ].join('\r\n'))
    expect(pkgs.map((p) => [p.name, p.version, p.groups])).toEqual([
      ['com.google.guava:guava', '32.1.2-jre', undefined],
      ['junit:junit', '4.13.2', ['test']],
    ])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'Maven', name: 'com.google.guava:guava', version: '32.1.2-jre' })
  })

  it('claims Gradle lockfiles, including the per-configuration ones of Gradle 5', () => {
    expect(gradleLockfile.matches('app/gradle.lockfile')).toBe(true)
    expect(gradleLockfile.matches('app/buildscript-gradle.lockfile')).toBe(true)
    expect(gradleLockfile.matches('app/gradle/dependency-locks/compileClasspath.lockfile')).toBe(true)
    expect(gradleLockfile.matches('app/other.lockfile')).toBe(false)
  })
})
