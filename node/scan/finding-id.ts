// crdt/fingerprint.ts's vuln fingerprint, computed the same way with one buffer and one
// one-shot hash: a big tree has hundreds of thousands of findings, and this is 2–3× faster
// than building a Hash and five Buffers per finding. finding-id.test.ts holds the two equal.
import { hash } from 'node:crypto'
import { fingerprint } from '../../crdt/index.ts'

const buf = Buffer.allocUnsafe(16 * 1024)

/**
 * The fingerprint of a vuln finding: `fingerprint({agent, kind: 'vuln', rule, subject, path})`
 * with `subject` = `name@version`, written in its parts (no string built for it).
 */
export function vulnFingerprint(agent: string, rule: string, name: string, version: string, path: string): string {
  // Each field takes at most 3 bytes per UTF-16 unit; longer inputs take the general route.
  if (3 * (agent.length + rule.length + name.length + 1 + version.length + path.length) + 4 * 5 > buf.length) {
    return fingerprint({ agent, kind: 'vuln', rule, subject: `${name}@${version}`, path })
  }
  let o = 0
  o = field(agent, o)
  o = field('vuln', o)
  o = field(rule, o)
  const n = buf.write(name, o + 4, 'utf8')
  buf[o + 4 + n] = 0x40 // '@'
  const v = buf.write(version, o + 5 + n, 'utf8')
  buf.writeUInt32BE(n + 1 + v, o)
  o += 5 + n + v
  o = field(path, o)
  return hash('sha256', buf.subarray(0, o), 'hex').slice(0, 32)
}

function field(s: string, o: number): number {
  const n = buf.write(s, o + 4, 'utf8')
  buf.writeUInt32BE(n, o)
  return o + 4 + n
}
