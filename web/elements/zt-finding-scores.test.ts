// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest'
import './zt-finding-scores.ts'
import type { ZtFindingScores } from './zt-finding-scores.ts'
import type { Enrichment } from '../api/types.ts'
import { XSS, mount, shadow } from '../web.test-data.ts'

afterEach(() => { document.body.replaceChildren() })

async function scores(enrichment: Enrichment | null, score?: number) {
  const el = document.createElement('zt-finding-scores') as ZtFindingScores
  el.enrichment = enrichment
  el.score = score
  return mount(el)
}

describe('zt-finding-scores', () => {
  it('breaks a CVSS 4.0 vector into labelled metrics with its base score, and shows EPSS and KEV with dates', async () => {
    const el = await scores({
      risk: 88, cves: ['CVE-2025-9'],
      cvss: { score: 9.3, vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A', version: 'cvss4' },
      epss: { cve: 'CVE-2025-9', epss: 0.9431, percentile: 0.9987, date: '2025-03-01' },
      kev: { cve: 'CVE-2025-9', dateAdded: '2025-02-10', dueDate: '2025-03-03', ransomware: false, vendor: 'Acme', product: 'Widget', name: XSS },
    })
    const root = shadow(el)
    expect(root.querySelector('[data-score=cvss]')!.textContent).toMatch(/9\.3\s*CVSS 4\.0 base/)
    expect(root.querySelector('[data-score=epss]')!.textContent).toMatch(/94\.3%\s*EPSS, percentile 99\.9%/)
    expect(root.querySelector('[data-score=kev]')).not.toBeNull()
    expect(root.querySelector('[data-kev]')!.textContent).toBe(`CISA lists CVE-2025-9 as exploited in the wild (Acme Widget — ${XSS}): added 2025-02-10, remediation due 2025-03-03.`)
    expect(root.querySelector('[data-metric=AT]')!.textContent).toMatch(/Attack requirements\s*None/)
    expect(root.querySelector('[data-metric=VC]')!.textContent).toMatch(/Vulnerable system confidentiality\s*High/)
    expect(root.querySelector('[data-group=threat] [data-metric=E]')!.textContent).toMatch(/Exploit maturity\s*Attacked/)
    expect(root.querySelectorAll('[data-group=base] tr')).toHaveLength(11)
    expect(root.querySelector('img')).toBeNull()
  })

  it('labels a v3.1 vector; without EPSS or KEV shows neither', async () => {
    const el = await scores({ risk: 40, cves: [], cvss: { score: 6.1, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', version: 'cvss3' } })
    const root = shadow(el)
    expect(root.querySelector('[data-metric=S]')!.textContent).toMatch(/Scope\s*Changed/)
    expect(root.querySelector('[data-metric=UI]')!.textContent).toMatch(/User interaction\s*Required/)
    expect(root.querySelector('[data-score=kev]')).toBeNull()
    expect(root.querySelector('[data-score=epss]')).toBeNull()
  })

  it('says so when the hub holds no enrichment, and shows a vector it cannot read as text', async () => {
    expect(shadow(await scores(null, 5)).textContent).toContain('CVSS 5; the hub holds no enrichment')
    const el = await scores({ risk: 10, cves: [], cvss: { score: 1, vector: XSS, version: 'cvss3' } })
    expect(shadow(el).querySelector('[data-vector]')!.textContent).toBe(XSS)
    expect(shadow(el).textContent).toContain('could not be read')
  })
})
