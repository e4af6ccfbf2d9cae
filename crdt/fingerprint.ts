// The finding fingerprint, defined once: the same problem found twice — by an agent's scan
// or by the hub re-matching a stored inventory — gets the same id (DESIGN.md "Data model").
import { createHash } from 'node:crypto'

export type FindingKind = 'vuln' | 'secret' | 'config'

export interface FingerprintInput {
  /** The agent that has the problem ('' for a scan outside any agent). */
  agent: string
  kind: FindingKind
  /** Advisory id (the alias group's primary id) or rule id. */
  rule: string
  /** `name@version` for package findings; for secrets the keyed hash of the value. */
  subject: string
  /** Path of the file, relative to the scan root. */
  path: string
}

/** Hex SHA-256 (first 128 bits) over the length-prefixed fields: unambiguous, stable. */
export function fingerprint(input: FingerprintInput): string {
  const h = createHash('sha256')
  for (const field of [input.agent, input.kind, input.rule, input.subject, input.path]) {
    const bytes = Buffer.from(field, 'utf8')
    const len = Buffer.allocUnsafe(4)
    len.writeUInt32BE(bytes.length)
    h.update(len).update(bytes)
  }
  return h.digest('hex').slice(0, 32)
}
