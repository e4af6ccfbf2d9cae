// Base scores computed from vectors, checked against the scores FIRST publishes in its
// "CVSS v3.1: Examples" document (same vectors and scores as the v3.0 examples).
import { describe, it, expect } from 'vitest'
import { parseCvss3, roundup30, roundup31 } from './cvss3.ts'
import { cvssRating } from './rating.ts'

const FIRST_EXAMPLES: [string, string, number][] = [
  ['CVE-2013-1937 phpMyAdmin reflected XSS', 'AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVE-2013-0375 MySQL stored SQL injection', 'AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
  ['CVE-2014-3566 SSLv3 POODLE', 'AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
  ['CVE-2012-1516 VMware guest to host escape', 'AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
  ['CVE-2009-0783 Apache Tomcat XML parser', 'AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2],
  ['CVE-2012-0384 Cisco IOS command execution', 'AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2015-1098 Apple iWork denial of service', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
  ['CVE-2014-0160 OpenSSL Heartbleed', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
  ['CVE-2014-6271 GNU Bash Shellshock', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVE-2008-1447 DNS Kaminsky bug', 'AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8],
  ['CVE-2014-2005 Sophos login screen bypass', 'AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8],
  ['CVE-2010-0467 Joomla directory traversal', 'AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8],
  ['CVE-2012-1342 Cisco access control bypass', 'AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N', 5.8],
  ['CVE-2014-9253 DokuWiki stored XSS', 'AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', 5.4],
  ['CVE-2011-1265 Microsoft Windows Bluetooth', 'AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2014-2019 Apple iOS security control bypass', 'AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N', 4.6],
  ['CVE-2015-0970 SearchBlox CSRF', 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2014-0224 OpenSSL CCS injection', 'AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.4],
  ['CVE-2012-5376 Chrome IPC sandbox escape', 'AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6],
  ['CVE-2016-0128 Windows SAM and LSAD downgrade (Badlock)', 'AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N', 6.8],
]

describe('CVSS v3 base score', () => {
  it.each(FIRST_EXAMPLES)('%s: %s → %s', (_name, metrics, score) => {
    expect(parseCvss3(`CVSS:3.1/${metrics}`).baseScore).toBe(score)
    expect(parseCvss3(`CVSS:3.0/${metrics}`).baseScore).toBe(score)
  })

  it('scores no impact as 0 and keeps the stated metrics, temporal and environmental ones too', () => {
    expect(parseCvss3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N').baseScore).toBe(0)
    const v = parseCvss3('CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L/MS:X')
    expect(v).toMatchObject({ version: '3.1', baseScore: 9.8 })
    expect(v.metrics).toMatchObject({ E: 'P', RL: 'O', RC: 'C', CR: 'H', MAV: 'L', MS: 'X' })
  })

  it('rounds up as Appendix A defines it in v3.1, and by plain ceiling in v3.0', () => {
    expect(roundup31(4.02)).toBe(4.1)
    expect(roundup31(4.0)).toBe(4.0)
    expect(roundup31(4.000000000000001)).toBe(4.0)
    expect(roundup30(4.000000000000001)).toBe(4.1)
    expect(roundup31(9.999)).toBe(10)
  })

  it('refuses malformed vectors with a named code', () => {
    const base = 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'
    for (const v of [
      'nonsense', '', base, `CVSS:2.0/${base}`, `CVSS:3.2/${base}`, `cvss:3.1/${base}`, 'CVSS:3.1/',
      'CVSS:3.1/AV:N/AC:L', // base metrics missing
      'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', // X is no base value
      `CVSS:3.1/${base}/AV:N`, // repeated
      `CVSS:3.1/${base}/`, // empty component
      `CVSS:3.1/${base}/E:Q`, `CVSS:3.1/${base}/XX:Y`, `CVSS:3.1/${base}/AT:N`, `CVSS:3.1/${base}/E`, `CVSS:3.1/${base}/__proto__:X`,
      `CVSS:3.1/${base} `,
    ]) {
      expect(() => parseCvss3(v), v).toThrow(expect.objectContaining({ name: 'AdvisoryError', code: 'bad-cvss' }))
    }
  })
})

describe('CVSS qualitative rating', () => {
  it.each([
    [0, 'None'], [0.1, 'Low'], [3.9, 'Low'], [4.0, 'Medium'], [6.9, 'Medium'], [7.0, 'High'], [8.9, 'High'], [9.0, 'Critical'], [10, 'Critical'],
  ] as const)('%s → %s', (score, rating) => {
    expect(cvssRating(score)).toBe(rating)
  })
  it('refuses scores outside 0–10', () => {
    for (const s of [-0.1, 10.1, Number.NaN]) expect(() => cvssRating(s)).toThrow(RangeError)
  })
})
