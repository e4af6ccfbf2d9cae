// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest'
import './zt-finding-detail.ts'
import type { ZtFindingDetail } from './zt-finding-detail.ts'
import type { TriageRequest } from '../api/types.ts'
import { XSS, detailOf, mount, row, shadow } from '../web.test-data.ts'

afterEach(() => { document.body.replaceChildren() })

async function detail(canTriage: boolean, over = {}) {
  const el = document.createElement('zt-finding-detail') as ZtFindingDetail
  el.detail = detailOf(row(7, { title: XSS, evidence: '<b>x</b>' }), { comments: [{ by: 'ana', at: 1, text: XSS }], ...over })
  el.canTriage = canTriage
  return mount(el)
}

describe('zt-finding-detail', () => {
  it('shows the finding, its fix, evidence chain and comments, all as text', async () => {
    const el = await detail(false)
    const root = shadow(el)
    expect(root.querySelector('h2')!.textContent).toBe(XSS)
    expect(root.textContent).toContain('4.17.21')
    expect(root.textContent).toContain('<b>x</b>')
    expect(root.querySelector('.comment')!.textContent).toBe(XSS)
    expect(root.querySelector('[data-envelope="1"]')!.textContent).toMatch(/^Envelope #1 \(update\) signed by 12D3KooWAgentx+ at 2023-11-14 22:13 UTC$/)
    expect(root.querySelector('img')).toBeNull()
    expect([...root.querySelectorAll('b')].map((b) => b.textContent)).toEqual(['ana'])
    // A viewer gets no triage actions.
    expect(root.querySelector('form')).toBeNull()
  })

  it('shows the advisory text, the scores and links to the agents, all as text', async () => {
    const r = row(7)
    const el = await detail(false, {
      advisory: { id: 'GHSA-7', summary: XSS, details: 'line 1\n<script>alert(1)</script>', references: [{ type: 'WEB', url: 'https://example.org/a' }, { type: 'ADVISORY', url: 'javascript:alert(1)' }] },
      enrichment: { risk: 97, cves: ['CVE-2024-1'], cvss: { score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', version: 'cvss3' }, kev: { cve: 'CVE-2024-1', dateAdded: '2024-02-01', dueDate: '2024-02-22', ransomware: true, vendor: 'Acme', product: XSS } },
      affected: [{ id: r.id, agent: r.agent, path: 'a/package-lock.json', version: '4.17.20', status: 'open' }, { id: 'f'.repeat(32), agent: '12D3KooWOther' + 'y'.repeat(40), path: 'b/package-lock.json', status: 'open' }],
    })
    el.tenant = 'acme'
    await el.updateComplete
    const root = shadow(el)
    expect(root.querySelector('[data-summary]')!.textContent).toBe(XSS)
    expect(root.querySelector('[data-details]')!.textContent).toBe('line 1\n<script>alert(1)</script>')
    expect(root.querySelector('script')).toBeNull()
    // Only the web reference is a link; the javascript: one is text.
    expect([...root.querySelectorAll('.refs a')].map((a) => a.getAttribute('href'))).toEqual(['https://example.org/a'])
    expect(root.querySelector('.refs')!.textContent).toContain('javascript:alert(1)')
    // Affected agents and the envelope's signer link to the agent's page.
    const links = [...root.querySelectorAll('[data-affected] a, [data-envelope] a')].map((a) => a.getAttribute('href'))
    expect(links).toEqual([`/t/acme/agents/${r.agent}`, `/t/acme/agents/12D3KooWOther${'y'.repeat(40)}`, `/t/acme/agents/${r.agent}`])
    expect(root.textContent).toContain('b/package-lock.json')
    const scores = root.querySelector('zt-finding-scores')!.shadowRoot!
    expect(scores.querySelector('[data-score=risk] b')!.textContent).toBe('97')
    expect(scores.querySelector('[data-score=cvss] b')!.textContent).toBe('9.8')
    expect(scores.querySelector('[data-kev]')!.textContent).toContain(`Acme ${XSS}`)
    expect(scores.querySelector('img')).toBeNull()
  })

  it('asks for triage: a status, or a risk acceptance until a date with a reason', async () => {
    const el = await detail(true)
    const asked: TriageRequest[] = []
    el.addEventListener('zt-triage', (e) => asked.push((e as CustomEvent<TriageRequest>).detail))
    const buttons = [...shadow(el).querySelectorAll<HTMLButtonElement>('.actions button')]
    expect(buttons.map((b) => b.textContent!.trim())).toEqual(['Acknowledge', 'False positive', 'Mark fixed'])
    buttons[1]!.click()
    const form = shadow(el).querySelector<HTMLFormElement>('section form')!
    form.querySelector<HTMLInputElement>('[name=until]')!.value = '2031-02-03'
    form.querySelector<HTMLInputElement>('[name=reason]')!.value = 'internal only'
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    expect(asked).toEqual([{ status: 'false-positive' }, { status: 'risk-accepted', until: '2031-02-03T23:59:59.000Z', reason: 'internal only' }])
  })

  it('shows who triaged and offers to reopen', async () => {
    const el = await detail(true, { triage: { status: 'acknowledged', by: 'operator', at: 1 } })
    expect(shadow(el).querySelector('[data-triage]')!.getAttribute('data-triage')).toBe('acknowledged')
    expect([...shadow(el).querySelectorAll('.actions button')].map((b) => b.textContent!.trim())).toContain('Reopen')
  })

  it('posts a comment and closes', async () => {
    const el = await detail(true)
    const events: string[] = []
    el.addEventListener('zt-comment', (e) => events.push((e as CustomEvent<{ text: string }>).detail.text))
    el.addEventListener('zt-close', () => events.push('close'))
    const forms = shadow(el).querySelectorAll<HTMLFormElement>('form')
    const comment = forms[forms.length - 1]!
    comment.querySelector('textarea')!.value = ' looks fine '
    comment.dispatchEvent(new Event('submit', { cancelable: true }))
    shadow(el).querySelector<HTMLButtonElement>('button[aria-label="Close the finding"]')!.click()
    expect(events).toEqual(['looks fine', 'close'])
  })
})
