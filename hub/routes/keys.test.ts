// The certificate routes on a real hub (real home, real tenant roots): an admin signs an
// agent and the certificate verifies under the tenant root; bad input gets named 400s; an
// agent key stays in one tenant; a revoked key gets no new certificate.
import { describe, it, expect, afterAll, beforeAll } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { checkCertificate, createTenantRoot, listIssued, parseArmoredCertificate, readRevocationList, readTenantPublicKey } from '../../keys/index.ts'
import { call, errorCode, login, type Caller } from '../auth/auth.test-client.ts'
import { startHub, type Hub } from '../hub.ts'

const PASS = 'keys-routes-passphrase'
const PW = 'keys routes password'
let home: string
let hub: Hub
let admin: Caller
let analyst: Caller
let globexAdmin: Caller

const newPeerId = async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
const sign = (caller: Caller, tenant: string, body: unknown) => call(hub.url, caller, 'POST', `/api/v1/tenants/${tenant}/certificates`, { body })

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-keys-routes-'))
  await createTenantRoot(home, 'acme', PASS)
  await createTenantRoot(home, 'globex', PASS)
  hub = await startHub({ home, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0 })
  await hub.auth.users.create({ name: 'ada', password: PW, operator: false, roles: { acme: 'admin' } })
  await hub.auth.users.create({ name: 'ana', password: PW, operator: false, roles: { acme: 'analyst' } })
  await hub.auth.users.create({ name: 'gus', password: PW, operator: false, roles: { globex: 'admin' } })
  admin = await login(hub.url, 'ada', PW)
  analyst = await login(hub.url, 'ana', PW)
  globexAdmin = await login(hub.url, 'gus', PW)
}, 30_000)
afterAll(async () => {
  await hub?.stop()
  await rm(home, { recursive: true, force: true })
})

describe('certificate routes', () => {
  it('signs an agent: the armored certificate verifies under the tenant root and is listed', async () => {
    const agent = await newPeerId()
    const res = await sign(admin, 'acme', { agent, name: 'build-07', roles: ['agent', 'relay'], days: 30 })
    expect(res.status).toBe(201)
    const body = await res.json() as { certificate: { serial: number, subject: string, name: string, roles: string[], notAfter: string, revoked: boolean }, armored: string }
    expect(body.certificate).toMatchObject({ subject: agent, name: 'build-07', roles: ['agent', 'relay'], revoked: false })
    expect(Date.parse(body.certificate.notAfter) - Date.now()).toBeGreaterThan(29.9 * 86_400_000)
    const cert = parseArmoredCertificate(body.armored)
    const check = checkCertificate(cert, { tenant: 'acme', rootPublicKey: await readTenantPublicKey(home, 'acme'), now: Date.now() })
    expect(check.ok && check.body.subject).toBe(agent)
    // Under the other tenant's root it is refused.
    expect(checkCertificate(cert, { tenant: 'acme', rootPublicKey: await readTenantPublicKey(home, 'globex'), now: Date.now() })).toMatchObject({ ok: false })
    // Kept in the home, where zt keys list reads it, and listed by the API.
    expect((await listIssued(home, 'acme')).map((c) => c.body.subject)).toContain(agent)
    const list = await (await call(hub.url, admin, 'GET', '/api/v1/tenants/acme/certificates')).json() as { certificates: { serial: number, subject: string }[], revocationList: { version: number } }
    expect(list.certificates.find((c) => c.subject === agent)?.serial).toBe(body.certificate.serial)
    const one = await (await call(hub.url, admin, 'GET', `/api/v1/tenants/acme/certificates/${body.certificate.serial}`)).json() as { armored: string }
    expect(one.armored).toBe(body.armored)
    // Serials go up one by one.
    const next = await (await sign(admin, 'acme', { agent: await newPeerId(), name: 'build-08' })).json() as { certificate: { serial: number, roles: string[] } }
    expect(next.certificate).toMatchObject({ serial: body.certificate.serial + 1, roles: ['agent'] })
  })

  it('refuses bad input with named 400s and signs nothing', async () => {
    const before = (await listIssued(home, 'acme')).length
    const agent = await newPeerId()
    const cases: [unknown, string][] = [
      [undefined, 'bad-request'], [[agent], 'bad-request'],
      [{ name: 'x' }, 'bad-peer-id'], [{ agent: 'not-a-peer-id', name: 'x' }, 'bad-peer-id'],
      // A base58 id of the right shape whose key is RSA, not Ed25519.
      [{ agent: 'QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N', name: 'x' }, 'bad-peer-id'],
      [{ agent, name: '' }, 'bad-name'], [{ agent, name: 'x'.repeat(257) }, 'bad-name'], [{ agent, name: 'a\nb' }, 'bad-name'],
      [{ agent, name: 'x', roles: ['hub'] }, 'bad-roles'], [{ agent, name: 'x', roles: [] }, 'bad-roles'], [{ agent, name: 'x', roles: 'agent' }, 'bad-roles'],
      [{ agent, name: 'x', days: 0 }, 'bad-days'], [{ agent, name: 'x', days: 1.5 }, 'bad-days'], [{ agent, name: 'x', days: 10_000 }, 'bad-days'],
    ]
    for (const [body, code] of cases) {
      const res = await sign(admin, 'acme', body)
      expect([JSON.stringify(body), res.status, await errorCode(res)]).toEqual([JSON.stringify(body), 400, code])
    }
    expect((await call(hub.url, admin, 'GET', '/api/v1/tenants/acme/certificates/abc')).status).toBe(400)
    expect(await errorCode(await call(hub.url, admin, 'GET', '/api/v1/tenants/acme/certificates/99999'))).toBe('not-found')
    expect((await listIssued(home, 'acme')).length).toBe(before)
  })

  it('only admins of the tenant sign or list; a key stays in one tenant, unnamed to the other', async () => {
    const agent = await newPeerId()
    expect((await sign(analyst, 'acme', { agent, name: 'x' })).status).toBe(403)
    expect((await call(hub.url, analyst, 'GET', '/api/v1/tenants/acme/certificates')).status).toBe(403)
    expect(await errorCode(await sign(globexAdmin, 'acme', { agent, name: 'x' }))).toBe('unknown-tenant')
    expect((await sign(admin, 'acme', { agent, name: 'acme-box' })).status).toBe(201)
    const res = await sign(globexAdmin, 'globex', { agent, name: 'globex-box' })
    expect([res.status, await errorCode(res)]).toEqual([409, 'other-tenant'])
    expect(JSON.stringify(await res.json())).not.toContain('acme')
    expect((await listIssued(home, 'globex')).some((c) => c.body.subject === agent)).toBe(false)
    // Globex's list shows none of acme's certificates.
    const globex = await (await call(hub.url, globexAdmin, 'GET', '/api/v1/tenants/globex/certificates')).json() as { certificates: { subject: string }[] }
    expect(globex.certificates.some((c) => c.subject === agent)).toBe(false)
  })

  it('shows a revoked certificate and the list version; a revoked key gets no new certificate', async () => {
    const agent = await newPeerId()
    const signed = await (await sign(admin, 'acme', { agent, name: 'lost-laptop' })).json() as { certificate: { serial: number } }
    // Revoked through the agents route, though it never connected: its certificate is in the home.
    const revoked = await call(hub.url, admin, 'POST', `/api/v1/tenants/acme/agents/${agent}/revoke`, { body: { reason: 'stolen' } })
    expect(revoked.status).toBe(200)
    expect((await readRevocationList(home, 'acme'))!.body.entries).toContainEqual(expect.objectContaining({ subject: agent, serial: signed.certificate.serial, reason: 'stolen' }))
    // An agent neither met nor signed is still unknown.
    expect((await call(hub.url, admin, 'POST', `/api/v1/tenants/acme/agents/${await newPeerId()}/revoke`, { body: { reason: 'x' } })).status).toBe(404)
    const list = await (await call(hub.url, admin, 'GET', '/api/v1/tenants/acme/certificates')).json() as { certificates: { serial: number, revoked: boolean, reason?: string }[], revocationList: { version: number } }
    expect(list.certificates.find((c) => c.serial === signed.certificate.serial)).toMatchObject({ revoked: true, reason: 'stolen' })
    expect(list.revocationList.version).toBe((await readRevocationList(home, 'acme'))!.body.version)
    expect(list.revocationList.version).toBeGreaterThan(0)
    expect(list.certificates.filter((c) => c.revoked).length).toBe(1)
    const again = await sign(admin, 'acme', { agent, name: 'found-laptop' })
    expect([again.status, await errorCode(again)]).toEqual([409, 'revoked'])
  })
})
