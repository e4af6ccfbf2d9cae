import { describe, it, expect, beforeAll } from 'vitest'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import {
  CertificateError, armorCertificate, checkCertificate, createRevocationList, createTenantRoot, decodeCertificate,
  issueCertificate, openTenantRoot, parseArmoredCertificate, verifyCertificate, type Certificate, type TenantRoot,
} from './index.ts'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 25)
let acme: TenantRoot
let other: TenantRoot
let peer: string
let cert: Certificate

async function newPeerId(): Promise<string> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
}

beforeAll(async () => {
  const home = await mkdtemp(join(tmpdir(), 'zt-cert-'))
  await createTenantRoot(home, 'acme', 'passphrase-1')
  await createTenantRoot(home, 'globex', 'passphrase-2')
  acme = await openTenantRoot(home, 'acme', 'passphrase-1')
  other = await openTenantRoot(home, 'globex', 'passphrase-2')
  peer = await newPeerId()
  cert = issueCertificate(acme, { subject: peer, name: 'build-01', roles: ['agent'], serial: 7, notBefore: NOW - DAY, notAfter: NOW + 90 * DAY })
})

const opts = () => ({ tenant: 'acme', rootPublicKey: acme.publicKey, now: NOW })

function reason(fn: () => unknown): string {
  try { fn() } catch (err) { if (err instanceof CertificateError) return err.code; throw err }
  return 'valid'
}

describe('certificates', () => {
  it('a fresh certificate verifies and round-trips through bytes and armor', () => {
    expect(verifyCertificate(cert, opts()).subject).toBe(peer)
    expect(decodeCertificate(cert.bytes).body).toEqual(cert.body)
    const text = armorCertificate(cert)
    expect(text).toMatch(/^-----BEGIN ZEROTRACE CERTIFICATE-----\n/)
    expect(parseArmoredCertificate(text.replace(/\n/g, '\r\n') + '\n\n').body).toEqual(cert.body)
  })

  it('names each reason', () => {
    expect(reason(() => verifyCertificate(cert, { ...opts(), now: NOW + 91 * DAY }))).toBe('expired')
    expect(reason(() => verifyCertificate(cert, { ...opts(), now: NOW - 2 * DAY }))).toBe('not-yet-valid')
    expect(reason(() => verifyCertificate(cert, { ...opts(), tenant: 'globex', rootPublicKey: other.publicKey }))).toBe('unknown-issuer')
    expect(reason(() => verifyCertificate(cert, { ...opts(), role: 'relay' }))).toBe('role-not-allowed')
    expect(reason(() => verifyCertificate(cert, { ...opts(), tenant: 'globex' }))).toBe('wrong-tenant')
    const forged = issueCertificate({ ...other, publicKey: acme.publicKey }, { subject: peer, name: 'x', roles: ['agent'], serial: 1, notBefore: NOW, notAfter: NOW + DAY })
    expect(reason(() => verifyCertificate(forged, opts()))).toBe('bad-signature')
  })

  it('tolerates clock skew only as configured', () => {
    const edge = { ...opts(), now: NOW + 90 * DAY + 60_000 }
    expect(reason(() => verifyCertificate(cert, edge))).toBe('valid')
    expect(reason(() => verifyCertificate(cert, { ...edge, skewMs: 0 }))).toBe('expired')
    expect(reason(() => verifyCertificate(cert, { ...opts(), now: NOW - DAY - 60_000 }))).toBe('valid')
    expect(reason(() => verifyCertificate(cert, { ...opts(), now: NOW - DAY - 6 * 60_000 }))).toBe('not-yet-valid')
  })

  it('revokes by serial, and by subject so a re-issued certificate stays revoked', () => {
    const list = createRevocationList(acme, undefined, [{ serial: 7, subject: peer, revokedAt: NOW, reason: 'lost' }])
    expect(reason(() => verifyCertificate(cert, { ...opts(), revocationList: list }))).toBe('revoked')
    const reissued = issueCertificate(acme, { subject: peer, name: 'build-01', roles: ['agent'], serial: 8, notBefore: NOW, notAfter: NOW + DAY })
    expect(reason(() => verifyCertificate(reissued, { ...opts(), revocationList: list }))).toBe('revoked')
    const unrelated = issueCertificate(acme, { subject: cert.body.subject.slice(0, -1) + (peer.endsWith('a') ? 'b' : 'a'), name: 'y', roles: ['agent'], serial: 9, notBefore: NOW, notAfter: NOW + DAY })
    expect(checkCertificate(unrelated, { ...opts(), revocationList: list }).ok).toBe(true)
  })

  it('any single-bit flip in the signed bytes fails with a named reason', () => {
    const named = new Set(['bad-signature', 'unknown-issuer', 'wrong-tenant', 'expired', 'not-yet-valid', 'revoked', 'role-not-allowed', 'malformed'])
    const seen = new Map<string, number>()
    for (let bit = 0; bit < cert.bytes.length * 8; bit++) {
      const bytes = new Uint8Array(cert.bytes)
      bytes[bit >> 3]! ^= 1 << (bit & 7)
      const r = reason(() => verifyCertificate(decodeCertificate(bytes), opts()))
      expect(r === 'valid' ? `bit ${bit} still valid` : r).not.toMatch(/still valid/)
      expect(named.has(r), r).toBe(true)
      seen.set(r, (seen.get(r) ?? 0) + 1)
    }
    expect(seen.get('bad-signature')).toBeGreaterThan(0)
    expect(seen.get('malformed')).toBeGreaterThan(0)
  })

  it('a changed character in the armored text is refused', () => {
    const text = armorCertificate(cert)
    const lines = text.split('\n')
    let refused = 0
    for (let i = 0; i < lines[1]!.length; i += 3) {
      const line = lines[1]!
      const ch = line[i] === 'A' ? 'B' : 'A'
      const changed = [lines[0], line.slice(0, i) + ch + line.slice(i + 1), ...lines.slice(2)].join('\n')
      let r: string
      try { r = reason(() => verifyCertificate(parseArmoredCertificate(changed), opts())) } catch (err) { r = (err as { code: string }).code }
      expect(r).not.toBe('valid')
      refused++
    }
    expect(refused).toBeGreaterThan(10)
  })
})
