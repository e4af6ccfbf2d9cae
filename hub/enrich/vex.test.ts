import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MemoryLevel } from 'memory-level'
import { parseOpenVex, toOpenVex, type VexStatement } from './openvex.ts'
import { applySuppressions, type SuppressibleFinding } from './suppressions.ts'
import { createSuppressionStore } from './suppression-store.ts'

const SAMPLE = readFileSync(join(import.meta.dirname, 'fixtures/openvex-sample.json'), 'utf8')
const JUNE = Date.parse('2025-06-15T00:00:00Z')
const OCTOBER = Date.parse('2025-10-01T00:00:00Z')

const lodash: SuppressibleFinding = { id: 'f-lodash', rule: 'GHSA-35jh-r3h4-6jhm', aliases: ['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'], ecosystem: 'npm', package: 'lodash', version: '4.17.20', agent: 'A' }
const requests = (agent: string): SuppressibleFinding => ({ id: `f-req-${agent}`, rule: 'GHSA-j8r2-6x86-q33q', aliases: ['GHSA-j8r2-6x86-q33q', 'CVE-2023-32681', 'PYSEC-2023-74'], ecosystem: 'PyPI', package: 'requests', version: '2.30.0', agent })

describe('OpenVEX', () => {
  it('parses statements, names the bad ones, and reads the expiry extension', () => {
    const { statements, errors } = parseOpenVex(SAMPLE)
    expect(statements).toHaveLength(3)
    expect(errors).toEqual([
      { where: 'statements[3]', message: expect.stringMatching(/justification or an impact_statement/) },
      { where: 'statements[4]', message: expect.stringMatching(/status must be/) },
    ])
    expect(statements[0]).toMatchObject({
      vulnerability: 'CVE-2021-23337', aliases: ['GHSA-35jh-r3h4-6jhm'], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path',
      timestamp: '2025-06-01T10:00:00Z', author: 'ACME Product Security <psirt@example.com>', document: 'https://example.com/vex/2025-06-01-acme',
      products: [{ id: 'pkg:npm/lodash@4.17.20', purl: 'pkg:npm/lodash@4.17.20' }],
    })
    expect(statements[0]!.id).toMatch(/^vex-[0-9a-f]{24}$/)
    expect(statements[1]).toMatchObject({ id: 'https://example.com/vex/2025-06-01-acme#requests', expires: '2025-09-01T00:00:00Z' })
    // Ids without @id are stable: the same document parses to the same ids.
    expect(parseOpenVex(JSON.parse(SAMPLE)).statements.map((s) => s.id)).toEqual(statements.map((s) => s.id))
    expect(() => parseOpenVex('{"statements": []}')).toThrow(expect.objectContaining({ code: 'bad-vex' }))
    expect(() => parseOpenVex('nope')).toThrow(expect.objectContaining({ code: 'bad-vex' }))
  })

  it('round-trips through toOpenVex', () => {
    const { statements } = parseOpenVex(SAMPLE)
    const again = parseOpenVex(toOpenVex(statements, { id: 'urn:x', author: 'hub', timestamp: '2025-06-02T00:00:00Z' }))
    expect(again.errors).toEqual([])
    expect(again.statements.map(({ document: _d, author: _a, ...s }) => s)).toEqual(statements.map(({ document: _d, author: _a, ...s }) => s))
  })
})

describe('applySuppressions', () => {
  const { statements } = parseOpenVex(SAMPLE)

  it('suppresses by alias and purl version, scoped to an agent and its subcomponents, until expiry', () => {
    const findings = [lodash, { ...lodash, id: 'f-lodash-21', version: '4.17.21' }, requests('12D3KooWAgentA'), requests('12D3KooWAgentB'),
      { id: 'f-net', rule: 'GO-2023-2102', aliases: ['GO-2023-2102', 'CVE-2023-39325'], ecosystem: 'Go', package: 'golang.org/x/net', version: '0.1.0', agent: 'A' }]
    const june = applySuppressions(findings, statements, JUNE)
    expect(june.map((f) => f.suppressed?.statement ?? null)).toEqual([statements[0]!.id, null, 'https://example.com/vex/2025-06-01-acme#requests', null, null])
    expect(june[0]!.suppressed).toEqual({ statement: statements[0]!.id, justification: 'vulnerable_code_not_in_execute_path', impactStatement: 'lodash.template is never called with user input.' })
    expect(june[2]!.suppressed!.expires).toBe('2025-09-01T00:00:00Z')
    // Unsuppressed findings come back as they were; the input is not changed.
    expect(june[1]).toBe(findings[1])
    expect('suppressed' in findings[0]!).toBe(false)
    // After its expiry the agent-scoped statement no longer applies.
    expect(applySuppressions(findings, statements, OCTOBER).map((f) => f.suppressed?.statement ?? null)).toEqual([statements[0]!.id, null, null, null, null])
  })

  it('a newer statement supersedes an older one; finding URNs and product-less statements apply', () => {
    const at = (timestamp: string, status: VexStatement['status'], extra: Partial<VexStatement> = {}): VexStatement =>
      ({ id: `s-${timestamp}-${status}`, vulnerability: 'CVE-2021-23337', aliases: [], products: [], status, timestamp, ...(status === 'not_affected' ? { justification: 'component_not_present' } : {}), ...extra })
    const older = at('2025-01-01T00:00:00Z', 'not_affected')
    const newer = at('2025-03-01T00:00:00Z', 'affected')
    expect(applySuppressions([lodash], [older], JUNE)[0]!.suppressed?.statement).toBe(older.id)
    expect(applySuppressions([lodash], [older, newer], JUNE)[0]!.suppressed).toBeUndefined()
    expect(applySuppressions([lodash], [newer, older], JUNE)[0]!.suppressed).toBeUndefined()
    // An expired newer statement does not count: the older one decides again.
    const expiredNewer = at('2025-04-01T00:00:00Z', 'affected', { expires: '2025-05-01T00:00:00Z' })
    expect(applySuppressions([lodash], [older, expiredNewer], JUNE)[0]!.suppressed?.statement).toBe(older.id)
    const one = at('2025-02-01T00:00:00Z', 'not_affected', { id: 'one', products: [{ id: 'urn:zerotrace:finding:f-other' }] })
    expect(applySuppressions([lodash], [one], JUNE)[0]!.suppressed).toBeUndefined()
    expect(applySuppressions([{ ...lodash, id: 'f-other' }], [one], JUNE)[0]!.suppressed?.statement).toBe('one')
    // Secrets and config findings are suppressed by their rule id.
    const secret = { id: 's1', rule: 'aws-access-key', path: '.env', agent: 'A' }
    expect(applySuppressions([secret], [{ ...older, id: 'sec', vulnerability: 'aws-access-key' }], JUNE)[0]!.suppressed?.statement).toBe('sec')
    // PyPI names compare normalised, purl qualifiers are ignored.
    const purl = at('2025-02-01T00:00:00Z', 'not_affected', { id: 'py', vulnerability: 'CVE-2023-32681', products: [{ id: 'pkg:pypi/Requests@2.30.0?repository_url=x', purl: 'pkg:pypi/Requests@2.30.0?repository_url=x' }] })
    expect(applySuppressions([requests('B')], [purl], JUNE)[0]!.suppressed?.statement).toBe('py')
  })
})

describe('suppression store', () => {
  it('imports OpenVEX per tenant, lists, replaces by id, deletes', async () => {
    const db = new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' })
    const acme = createSuppressionStore(db.sublevel<string, Uint8Array>('t-acme', { valueEncoding: 'view' }))
    const other = createSuppressionStore(db.sublevel<string, Uint8Array>('t-other', { valueEncoding: 'view' }))
    expect(await acme.importOpenVex(SAMPLE)).toMatchObject({ added: 3, replaced: 0, errors: [{ where: 'statements[3]' }, { where: 'statements[4]' }] })
    expect(await acme.importOpenVex(SAMPLE)).toMatchObject({ added: 0, replaced: 3 })
    expect(await acme.list()).toHaveLength(3)
    expect(await other.list()).toEqual([])
    const id = 'https://example.com/vex/2025-06-01-acme#requests'
    expect(await acme.get(id)).toMatchObject({ expires: '2025-09-01T00:00:00Z' })
    expect(await acme.delete(id)).toBe(true)
    expect(await acme.delete(id)).toBe(false)
    expect((await acme.list()).map((s) => s.id)).not.toContain(id)
    await expect(acme.importOpenVex('{}')).rejects.toMatchObject({ code: 'bad-vex' })
  })
})
