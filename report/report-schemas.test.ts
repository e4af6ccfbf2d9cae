// The reports validate against their official JSON schemas: SARIF 2.1.0 (OASIS, as shipped
// in the `schemastore` package) and CycloneDX 1.6 (as shipped in @cyclonedx/cyclonedx-library).
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import type { Finding } from '../crdt/index.ts'
import { purlOf, type Package } from '../protocol/index.ts'
import type { ReportInput } from './input.ts'
import { toCycloneDx } from './cyclonedx.ts'
import { toSarif } from './sarif.ts'

const NODE_MODULES = join(import.meta.dirname, '../node_modules')
const json = (path: string) => JSON.parse(readFileSync(join(NODE_MODULES, path), 'utf8'))

function ajv(): Ajv {
  // The SARIF schema's patterns are ECMA-262 without the u flag.
  return new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false })
}

const pkg = (ecosystem: string, name: string, version: string, source: string): Package => ({ ecosystem, name, version, source, purl: purlOf(ecosystem, name, version) })

const result: ReportInput = {
  packages: [
    pkg('npm', 'lodash', '4.17.15', 'web/package-lock.json'), pkg('npm', '@babel/core', '7.0.0', 'web/package-lock.json'),
    pkg('PyPI', 'Jinja2', '3.1.2', 'api/requirements.txt'), pkg('Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1', 'svc/pom.xml'),
    { ecosystem: 'Debian:12', name: 'libssl3', version: '3.0.11-1~deb12u1', sourceName: 'openssl', source: 'var/lib/dpkg/status' },
  ],
  findings: [
    { id: 'a'.repeat(32), kind: 'vuln', rule: 'GHSA-35jh-r3h4-6jhm', aliases: ['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'], severity: 'high', score: 7.2, title: 'Command Injection in lodash', ecosystem: 'npm', package: 'lodash', version: '4.17.15', fixedIn: ['4.17.21'], path: 'web/package-lock.json' },
    { id: 'b'.repeat(32), kind: 'vuln', rule: 'GHSA-jfh8-c2jp-5v3q', aliases: ['GHSA-jfh8-c2jp-5v3q', 'CVE-2021-44228'], severity: 'critical', score: 10, ecosystem: 'Maven', package: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', fixedIn: ['2.15.0'], path: 'svc/pom.xml' },
    { id: 'c'.repeat(32), kind: 'secret', rule: 'github-pat', severity: 'critical', title: 'GitHub personal access token', path: 'deploy/.env', line: 3, column: 14, evidence: 'ghp_************uTfE', secretHash: 'd'.repeat(64) },
  ] satisfies Finding[],
}

describe('report schemas', () => {
  it('SARIF validates against the SARIF 2.1.0 schema, and a broken log does not', () => {
    const validate = ajv().compile(json('schemastore/schemas/json/sarif-2.1.0.json'))
    const log = toSarif(result)
    expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true)
    expect(validate({ ...log, version: '2.0' })).toBe(false)
    expect(validate({ ...log, runs: [{ results: [] }] })).toBe(false)
  })

  it('CycloneDX validates against the CycloneDX 1.6 schema, and a broken BOM does not', () => {
    const dir = '@cyclonedx/cyclonedx-library/res/schema/'
    const a = ajv()
    a.addSchema({ ...json(dir + 'spdx.SNAPSHOT.schema.json'), $id: 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json' })
    a.addSchema({ ...json(dir + 'jsf-0.82.SNAPSHOT.schema.json'), $id: 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json' })
    const validate = a.compile(json(dir + 'bom-1.6.SNAPSHOT.schema.json'))
    const bom = toCycloneDx(result)
    expect(validate(bom), JSON.stringify(validate.errors, null, 1)).toBe(true)
    const { specVersion: _, ...noVersion } = bom
    expect(validate(noVersion)).toBe(false)
    expect(validate({ ...bom, components: [{ type: 'nonsense', name: 'x' }] })).toBe(false)
    // Triage as VEX analysis, still valid.
    const triaged = toCycloneDx({ ...result, findings: result.findings.map((f) => f.rule === 'GHSA-35jh-r3h4-6jhm' ? { ...f, triage: 'risk-accepted' as const, triageReason: 'not reachable' } : f.rule === 'GHSA-jfh8-c2jp-5v3q' ? { ...f, triage: 'false-positive' as const } : f) }) as { vulnerabilities: { id: string, analysis?: unknown }[] }
    expect(validate(triaged), JSON.stringify(validate.errors, null, 1)).toBe(true)
    expect(triaged.vulnerabilities.find((v) => v.id === 'GHSA-35jh-r3h4-6jhm')!.analysis).toEqual({ state: 'exploitable', response: ['will_not_fix'], detail: 'not reachable' })
    expect(triaged.vulnerabilities.find((v) => v.id === 'GHSA-jfh8-c2jp-5v3q')!.analysis).toEqual({ state: 'false_positive' })
    expect((bom as { vulnerabilities: { analysis?: unknown }[] }).vulnerabilities.every((v) => v.analysis === undefined)).toBe(true)
  })
})
