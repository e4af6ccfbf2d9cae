import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { pomXml } from './pom-xml.ts'

const parse = (text: string) => pomXml.parse(text, { path: 'svc/pom.xml', readRelative: () => undefined })
const dep = (g: string, a: string, extra = '') => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId>${extra}</dependency>`

describe('pom-xml', () => {
  it('interpolates properties (nested) and project coordinates, inheriting the parent version', () => {
    const pkgs = parse(`<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.parent</groupId><artifactId>p</artifactId><version>7.0</version></parent>
  <groupId>org.me</groupId>
  <properties><base>2.1</base><lib.version>\${base}.3</lib.version></properties>
  <dependencies>
    ${dep('org.lib', 'lib', '<version>${lib.version}</version>')}
    ${dep('${project.groupId}', 'sibling', '<version>${project.version}</version>')}
    ${dep('org.x', 'unresolved', '<version>${not.defined}</version>')}
    ${dep('org.y', 'ranged', '<version>[1.5,2.0)</version>')}
  </dependencies>
</project>`)
    expect(pkgs.map((p) => `${p.name}@${p.version}`)).toEqual(['org.lib:lib@2.1.3', 'org.me:sibling@7.0', 'org.x:unresolved@', 'org.y:ranged@1.5'])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'Maven', name: 'org.lib:lib', version: '2.1.3', source: 'svc/pom.xml', direct: true })
  })

  it('takes versions and scopes from dependencyManagement without listing its unused entries', () => {
    const pkgs = parse(`<project>
  <dependencies>
    ${dep('org.a', 'managed')}
    ${dep('org.b', 'own', '<version>1.0</version><scope>test</scope>')}
    ${dep('org.b', 'own', '<version>9.9</version><classifier>sources</classifier>')}
  </dependencies>
  <dependencyManagement><dependencies>
    ${dep('org.a', 'managed', '<version>3.0</version><scope>provided</scope>')}
    ${dep('org.c', 'unused', '<version>4.0</version>')}
  </dependencies></dependencyManagement>
</project>`)
    expect(pkgs.map((p) => [p.name, p.version, p.groups])).toEqual([
      ['org.a:managed', '3.0', ['provided']],
      ['org.b:own', '1.0', ['test']],
    ])
  })

  it('reads profiles active by default, not other profiles, plugins, or coordinates it cannot resolve', () => {
    const pkgs = parse(`<project>
  <build><plugins><plugin><dependencies>${dep('org.plugin', 'dep', '<version>1</version>')}</dependencies></plugin></plugins></build>
  <dependencies>${dep('', 'no-group')}${dep('org.x', '${missing}')}</dependencies>
  <profiles>
    <profile><activation><activeByDefault>true</activeByDefault></activation>
      <properties><v>5.0</v></properties>
      <dependencies>${dep('org.on', 'on', '<version>${v}</version>')}</dependencies></profile>
    <profile><id>ci</id><dependencies>${dep('org.off', 'off', '<version>1</version>')}</dependencies></profile>
  </profiles>
</project>`)
    expect(pkgs.map((p) => `${p.name}@${p.version}`)).toEqual(['org.on:on@5.0'])
  })

  it('survives self-referencing properties', () => {
    const pkgs = parse(`<project><properties><a>\${b}</a><b>\${a}</b></properties>
      <dependencies>${dep('org.c', 'cycle', '<version>${a}</version>')}</dependencies></project>`)
    expect(pkgs.map((p) => `${p.name}@${p.version}`)).toEqual(['org.c:cycle@'])
  })

  it('names broken files', () => {
    const code = (text: string) => { try { parse(text) } catch (err) { return (err as LockfileError).code } }
    expect(code('<project><dependencies></project>')).toBe('bad-syntax')
    expect(code('not xml at all')).toBe('bad-syntax')
    expect(code('<settings></settings>')).toBe('bad-structure')
  })
})
