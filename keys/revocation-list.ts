// Revocation lists: signed by the tenant root, versioned, only ever replaced by a higher
// version. An entry revokes a serial and its subject, so a re-issued certificate for a
// revoked key stays revoked.
import { pack } from '../protocol/index.ts'
import { armor, dearmor } from './armor.ts'
import { RevocationError } from './errors.ts'
import { decodeSignedBody, encodeSignedBody, openSignedBody, unpackMap } from './signed-body.ts'
import type { TenantRoot } from './tenant-root.ts'

export interface RevocationEntry {
  /** Serial of the revoked certificate; 0 when revoking a key that holds none yet. */
  serial: number
  /** The revoked key (PeerId). */
  subject: string
  revokedAt: number
  reason: string
}

export interface RevocationListBody {
  v: 1
  tenant: string
  version: number
  issuedAt: number
  entries: RevocationEntry[]
  issuer: Uint8Array
}

export interface RevocationList {
  bytes: Uint8Array
  body: RevocationListBody
}

export function createRevocationList(root: TenantRoot, previous: RevocationList | undefined, add: RevocationEntry[], now = Date.now()): RevocationList {
  const body: RevocationListBody = {
    v: 1, tenant: root.tenant, version: (previous?.body.version ?? 0) + 1, issuedAt: now,
    entries: [...(previous?.body.entries ?? []), ...add.map((e) => ({ serial: e.serial, subject: e.subject, revokedAt: e.revokedAt, reason: e.reason }))],
    issuer: root.publicKey,
  }
  const bodyBytes = pack(body)
  return { bytes: encodeSignedBody(bodyBytes, root.sign(bodyBytes)), body }
}

function malformed(what: string): RevocationError {
  return new RevocationError('malformed', `malformed revocation list: ${what}`)
}

function checkBody(m: Record<string, unknown>): RevocationListBody {
  for (const k of Object.keys(m)) if (!['v', 'tenant', 'version', 'issuedAt', 'entries', 'issuer'].includes(k)) throw malformed(`unknown field ${k}`)
  if (m.v !== 1) throw malformed('unsupported version')
  if (typeof m.tenant !== 'string' || m.tenant.length === 0 || m.tenant.length > 63) throw malformed('tenant')
  if (!Number.isSafeInteger(m.version) || (m.version as number) < 1) throw malformed('version')
  if (!Number.isSafeInteger(m.issuedAt) || (m.issuedAt as number) < 0) throw malformed('issuedAt')
  if (!(m.issuer instanceof Uint8Array) || m.issuer.length !== 32) throw malformed('issuer')
  if (!Array.isArray(m.entries) || m.entries.length > 100_000) throw malformed('entries')
  const entries = m.entries.map((e: unknown, i) => {
    const x = e as Record<string, unknown>
    if (typeof x !== 'object' || x === null || Object.keys(x).length !== 4) throw malformed(`entry ${i}`)
    if (!Number.isSafeInteger(x.serial) || (x.serial as number) < 0) throw malformed(`entry ${i} serial`)
    if (typeof x.subject !== 'string' || x.subject.length > 100) throw malformed(`entry ${i} subject`)
    if (!Number.isSafeInteger(x.revokedAt)) throw malformed(`entry ${i} revokedAt`)
    if (typeof x.reason !== 'string' || x.reason.length > 1024) throw malformed(`entry ${i} reason`)
    return { serial: x.serial as number, subject: x.subject, revokedAt: x.revokedAt as number, reason: x.reason }
  })
  return { v: 1, tenant: m.tenant, version: m.version as number, issuedAt: m.issuedAt as number, entries, issuer: new Uint8Array(m.issuer) }
}

/** Strictly decodes a signed list (signature not checked: see verifyRevocationList). */
export function decodeRevocationList(bytes: Uint8Array): RevocationList {
  const signed = decodeSignedBody(bytes)
  if (typeof signed === 'string') throw malformed(signed)
  const m = unpackMap(signed.body)
  if (!m) throw malformed('body is not a map')
  return { bytes: new Uint8Array(bytes), body: checkBody(m) }
}

/** Throws a RevocationError unless the list is signed by this tenant's root and well formed. */
export function verifyRevocationList(list: RevocationList, opts: { tenant: string, rootPublicKey: Uint8Array }): RevocationListBody {
  const m = openSignedBody(list.bytes, opts.rootPublicKey)
  if (!m.ok) throw m.reason === 'malformed' ? malformed(m.detail) : new RevocationError(m.reason, `revocation list ${m.detail}`)
  const body = checkBody(m.body)
  if (body.tenant !== opts.tenant) throw new RevocationError('wrong-tenant', `revocation list is for tenant '${body.tenant}', not '${opts.tenant}'`)
  return body
}

/** The incoming list when it verifies and is newer than the one held; else a RevocationError. */
export function acceptRevocationList(held: RevocationList | undefined, incoming: RevocationList, opts: { tenant: string, rootPublicKey: Uint8Array }): RevocationList {
  const body = verifyRevocationList(incoming, opts)
  if (held && body.version <= held.body.version) {
    throw new RevocationError('stale', `revocation list version ${body.version} is not newer than the held version ${held.body.version}`)
  }
  return { bytes: incoming.bytes, body }
}

/** Whether a certificate (serial and subject) is revoked by the list. */
export function isRevoked(list: RevocationList, cert: { serial: number, subject: string }): boolean {
  return list.body.entries.some((e) => e.subject === cert.subject || (e.serial !== 0 && e.serial === cert.serial))
}

export function armorRevocationList(list: RevocationList): string {
  return armor('REVOCATION LIST', list.bytes)
}

export function parseArmoredRevocationList(text: string): RevocationList {
  return decodeRevocationList(dearmor('REVOCATION LIST', text))
}
