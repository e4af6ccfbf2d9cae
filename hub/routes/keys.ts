// A tenant's certificates, for its admins: the ones its root issued (as `zt keys list` reads
// them from the home) with their revocation, the revocation list version, and signing a new
// agent from its PeerId with the tenant root key the hub holds (as `zt keys sign-agent`
// does). The answer carries the armored certificate, the text `zt agent run --cert` takes.
import {
  armorCertificate, isRevoked, issueCertificate, listIssued, nextSerial, publicKeyFromPeerId, readRevocationList, recordIssued,
  type Certificate, type RevocationList, type Role,
} from '../../keys/index.ts'
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { Hub, TenantState } from '../hub.ts'

const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{40,60}$/
/** What a tenant admin may sign: a hub certificate is the operator's business (zt keys). */
export const SIGNABLE_ROLES: readonly Role[] = ['agent', 'relay']
export const MAX_NAME = 256
export const DEFAULT_DAYS = 90
export const MAX_DAYS = 825
const DAY_MS = 86_400_000

export interface CertificateView {
  serial: number, subject: string, name: string, roles: Role[], notBefore: string, notAfter: string
  revoked: boolean, revokedAt?: string, reason?: string
}

function viewOf(cert: Certificate, list: RevocationList | undefined): CertificateView {
  const b = cert.body
  const entry = list?.body.entries.find((e) => e.subject === b.subject || (e.serial !== 0 && e.serial === b.serial))
  return {
    serial: b.serial, subject: b.subject, name: b.name, roles: b.roles, notBefore: new Date(b.notBefore).toISOString(), notAfter: new Date(b.notAfter).toISOString(),
    revoked: !!list && isRevoked(list, b), ...(entry ? { revokedAt: new Date(entry.revokedAt).toISOString(), reason: entry.reason } : {}),
  }
}

interface SignRequest { agent: string, name: string, roles: Role[], days: number }

function signRequest(body: unknown): SignRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) apiError(400, 'bad-request', 'a JSON body {agent, name, roles?, days?}')
  const b = body as Record<string, unknown>
  const agent = typeof b.agent === 'string' ? b.agent.trim() : ''
  if (!PEER_ID.test(agent)) apiError(400, 'bad-peer-id', 'agent: the PeerId zt agent init printed (base58, 12D3KooW…)')
  try { publicKeyFromPeerId(agent) } catch { apiError(400, 'bad-peer-id', 'agent: not an Ed25519 PeerId') }
  const name = typeof b.name === 'string' ? b.name.trim() : ''
  if (!name || name.length > MAX_NAME || /\p{Cc}/u.test(name)) apiError(400, 'bad-name', `name: 1 to ${MAX_NAME} characters, no control characters`)
  const roles = b.roles === undefined ? ['agent'] : b.roles
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => SIGNABLE_ROLES.includes(r as Role))) apiError(400, 'bad-roles', `roles: some of ${SIGNABLE_ROLES.join(', ')}`)
  const days = b.days === undefined ? DEFAULT_DAYS : b.days
  if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > MAX_DAYS) apiError(400, 'bad-days', `days: a whole number, 1 to ${MAX_DAYS}`)
  return { agent, name, roles: [...new Set(roles as Role[])], days: days as number }
}

export function keyRoutes(routes: Routes, hub: Hub, home: string, tenantOf: (name: string) => TenantState): void {
  // Serials are reserved read-modify-write in the home: one signing at a time per hub.
  let signing: Promise<unknown> = Promise.resolve()
  const serially = <T>(fn: () => Promise<T>): Promise<T> => { const run = signing.then(fn, fn); signing = run.catch(() => {}); return run }

  routes.add('GET', '/tenants/:tenant/certificates', { kind: 'tenant', role: 'admin' }, 'certificates the tenant root issued, with their revocation, and the revocation list version', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const [issued, list] = await Promise.all([listIssued(home, t.tenant), readRevocationList(home, t.tenant)])
    return c.json({ certificates: issued.map((cert) => viewOf(cert, list)), revocationList: { version: list?.body.version ?? 0, entries: list?.body.entries.length ?? 0 } })
  })

  routes.add('GET', '/tenants/:tenant/certificates/:serial', { kind: 'tenant', role: 'admin' }, 'one issued certificate, with its armored text', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const serial = c.req.param('serial')!
    if (!/^[1-9]\d{0,14}$/.test(serial)) apiError(400, 'bad-request', 'a serial is a positive whole number')
    const cert = (await listIssued(home, t.tenant)).find((x) => x.body.serial === Number(serial)) ?? apiError(404, 'not-found', 'no certificate with that serial')
    return c.json({ certificate: viewOf(cert, await readRevocationList(home, t.tenant)), armored: armorCertificate(cert) })
  })

  routes.add('POST', '/tenants/:tenant/certificates', { kind: 'tenant', role: 'admin' }, 'sign an agent {agent: PeerId, name, roles?: agent|relay, days?}: its certificate, armored for zt agent run --cert', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const req = signRequest(await c.req.json().catch(() => undefined))
    return serially(async () => {
      // DESIGN.md: an agent key belongs to one tenant only (the other tenant stays unnamed).
      for (const [name, other] of hub.tenants) {
        if (name === t.tenant) continue
        if (other.replica.certificateOf(req.agent) || (await listIssued(home, name)).some((x) => x.body.subject === req.agent)) {
          apiError(409, 'other-tenant', 'this agent key already belongs to another tenant')
        }
      }
      if (t.replica.isRevoked(req.agent)) apiError(409, 'revoked', 'this agent key is revoked: a new certificate for it stays revoked; make a new key (zt agent init)')
      const now = Date.now()
      const cert = issueCertificate(t.root, { subject: req.agent, name: req.name, roles: req.roles, serial: await nextSerial(home, t.tenant), notBefore: now, notAfter: now + req.days * DAY_MS })
      await recordIssued(home, t.tenant, cert)
      return c.json({ certificate: viewOf(cert, undefined), armored: armorCertificate(cert) }, 201)
    })
  })
}
