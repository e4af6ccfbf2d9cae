// CSV and HTML: whatever a finding holds comes out as data, never as a formula or markup.
import { describe, it, expect } from 'vitest'
import type { Finding } from '../crdt/index.ts'
import { csvCell, toCsv } from './csv.ts'
import { toHtml } from './html.ts'

const nasty: Finding = { id: 'a'.repeat(32), kind: 'vuln', rule: 'GHSA-x', severity: 'high', title: '<img src=x onerror=alert(1)> "quoted", and\nnewline', package: '=HYPERLINK("http://evil")', version: '1.0', path: 'a,b.json', firstSeen: 0 }

describe('CSV and HTML reports', () => {
  it('CSV quotes what needs quoting and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('=1+1')).toBe("'=1+1")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell(['x', 'y'])).toBe('x y')
    const csv = toCsv([{ ...nasty, agent: 'A' }])
    const [header, row] = csv.split('\r\n')
    expect(header!.split(',')).toContain('triage')
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(row).toContain('"a,b.json"')
    expect(row).toContain('"<img src=x onerror=alert(1)> ""quoted"", and\nnewline"')
  })

  it('HTML escapes every value from a finding', () => {
    const html = toHtml('Report <b>acme</b>', [nasty])
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot;')
    expect(html).toContain('<title>Report &lt;b&gt;acme&lt;/b&gt;</title>')
    expect(html).toMatch(/high: <strong>1<\/strong>/)
  })
})
