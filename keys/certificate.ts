// Agent, relay and hub certificates: the tenant root vouches that a PeerId belongs to the
// tenant, in given roles, for a period (DESIGN.md "Trust model").
import { pack } from '../protocol/index.ts'
import { armor, dearmor } from './armor.ts'
import { CertificateError, type CertificateReason } from './errors.ts'
import { isRevoked, type RevocationList } from './revocation-list.ts'
import { decodeSignedBody, encodeSignedBody, openSignedBody, unpackMap } from './signed-body.ts'
import type { TenantRoot } from './tenant-root.ts'

export type Role = 'agent' | 'relay' | 'hub'
export const ROLES: readonly Role[] = ['agent', 'relay', 'hub']

export interface CertificateBody {
  v: 1
  tenant: string
  /** The PeerId the certificate is for. */
  subject: string
  name: string
  roles: Role[]
  serial: number
  notBefore: number
  notAfter: number
  /** Public key of the tenant root that signed it. */
  issuer: Uint8Array
}

export interface Certificate {
  /** The signed form, as stored and sent. */
  bytes: Uint8Array
  body: CertificateBody
}

/** What the issuer chooses; version, tenant and issuer come from the root key. */
export type IssueFields = Omit<CertificateBody, 'v' | 'tenant' | 'issuer'>

export function issueCertificate(root: TenantRoot, fields: IssueFields): Certificate {
  const body: CertificateBody = { v: 1, tenant: root.tenant, ...fields, roles: [...fields.roles], issuer: root.publicKey }
  const bodyBytes = pack(body)
  return { bytes: encodeSignedBody(bodyBytes, root.sign(bodyBytes)), body }
}

const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{40,60}$/
const TENANT = /^[a-z0-9][a-z0-9-]{0,62}$/

function malformed(what: string): CertificateError {
  return new CertificateError('malformed', `malformed certificate: ${what}`)
}

function checkBody(m: Record<string, unknown>): CertificateBody {
  const keys = ['v', 'tenant', 'subject', 'name', 'roles', 'serial', 'notBefore', 'notAfter', 'issuer']
  for (const k of Object.keys(m)) if (!keys.includes(k)) throw malformed(`unknown field ${k}`)
  if (m.v !== 1) throw malformed('unsupported version')
  if (typeof m.tenant !== 'string' || !TENANT.test(m.tenant)) throw malformed('tenant')
  if (typeof m.subject !== 'string' || !PEER_ID.test(m.subject)) throw malformed('subject')
  if (typeof m.name !== 'string' || m.name.length > 256) throw malformed('name')
  if (!Array.isArray(m.roles) || m.roles.length === 0 || m.roles.length > 3 || !m.roles.every((r) => ROLES.includes(r as Role))) throw malformed('roles')
  for (const k of ['serial', 'notBefore', 'notAfter'] as const) {
    if (!Number.isSafeInteger(m[k]) || (m[k] as number) < 0) throw malformed(k)
  }
  if (!(m.issuer instanceof Uint8Array) || m.issuer.length !== 32) throw malformed('issuer')
  return { ...(m as unknown as CertificateBody), issuer: new Uint8Array(m.issuer) }
}

/** Strictly decodes a signed certificate (signature not checked: see verifyCertificate). */
export function decodeCertificate(bytes: Uint8Array): Certificate {
  const signed = decodeSignedBody(bytes)
  if (typeof signed === 'string') throw malformed(signed)
  const m = unpackMap(signed.body)
  if (!m) throw malformed('body is not a map')
  return { bytes: new Uint8Array(bytes), body: checkBody(m) }
}

export interface VerifyOptions {
  tenant: string
  rootPublicKey: Uint8Array
  revocationList?: RevocationList
  now: number
  /** Clock skew tolerated on notBefore and notAfter (default 5 minutes). */
  skewMs?: number
  /** A role the certificate must hold. */
  role?: Role
}

export const DEFAULT_SKEW_MS = 5 * 60_000

/** The certificate's body when valid; else a CertificateError with the one reason. */
export function verifyCertificate(cert: Certificate, opts: VerifyOptions): CertificateBody {
  // Decode again from the bytes: the body object may have been built or changed elsewhere.
  const m = openSignedBody(cert.bytes, opts.rootPublicKey)
  if (!m.ok) throw m.reason === 'malformed' ? malformed(m.detail) : new CertificateError(m.reason, `certificate ${m.detail}`)
  const body = checkBody(m.body)
  if (body.tenant !== opts.tenant) throw new CertificateError('wrong-tenant', `certificate is for tenant '${body.tenant}', not '${opts.tenant}'`)
  const skew = opts.skewMs ?? DEFAULT_SKEW_MS
  if (opts.now + skew < body.notBefore) throw new CertificateError('not-yet-valid', `certificate is valid from ${new Date(body.notBefore).toISOString()}`)
  if (opts.now - skew > body.notAfter) throw new CertificateError('expired', `certificate expired at ${new Date(body.notAfter).toISOString()}`)
  if (opts.revocationList && isRevoked(opts.revocationList, body)) throw new CertificateError('revoked', `certificate serial ${body.serial} (${body.subject}) is revoked`)
  if (opts.role && !body.roles.includes(opts.role)) throw new CertificateError('role-not-allowed', `certificate does not grant the '${opts.role}' role`)
  return body
}

export type CheckResult = { ok: true, body: CertificateBody } | { ok: false, reason: CertificateReason, message: string }

/** verifyCertificate without throwing. */
export function checkCertificate(cert: Certificate, opts: VerifyOptions): CheckResult {
  try {
    return { ok: true, body: verifyCertificate(cert, opts) }
  } catch (err) {
    if (err instanceof CertificateError) return { ok: false, reason: err.code, message: err.message }
    throw err
  }
}

export function armorCertificate(cert: Certificate): string {
  return armor('CERTIFICATE', cert.bytes)
}

/** A certificate from its armored text; a changed character fails here or at verification. */
export function parseArmoredCertificate(text: string): Certificate {
  return decodeCertificate(dearmor('CERTIFICATE', text))
}
