import { describe, it, expect, beforeAll } from 'vitest'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  RevocationError, acceptRevocationList, armorRevocationList, createRevocationList, createTenantRoot, decodeRevocationList,
  isRevoked, openTenantRoot, parseArmoredRevocationList, readRevocationList, verifyRevocationList, writeRevocationList, type TenantRoot,
} from './index.ts'

let home: string
let acme: TenantRoot
let globex: TenantRoot
const SUBJECT = '12D3KooWRZkujJ11mkV4rjUo6BA6ag2Gx1njVYRWmNswesUbn3VT'

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'zt-crl-'))
  await createTenantRoot(home, 'acme', 'passphrase-1')
  await createTenantRoot(home, 'globex', 'passphrase-2')
  acme = await openTenantRoot(home, 'acme', 'passphrase-1')
  globex = await openTenantRoot(home, 'globex', 'passphrase-2')
})

const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof RevocationError) return err.code; throw err } }
const acmeOpts = () => ({ tenant: 'acme', rootPublicKey: acme.publicKey })

describe('revocation lists', () => {
  it('versions go up and entries accumulate', () => {
    const v1 = createRevocationList(acme, undefined, [])
    const v2 = createRevocationList(acme, v1, [{ serial: 3, subject: SUBJECT, revokedAt: 1, reason: 'lost' }])
    const v3 = createRevocationList(acme, v2, [{ serial: 5, subject: 'x'.repeat(46), revokedAt: 2, reason: 'left' }])
    expect([v1.body.version, v2.body.version, v3.body.version]).toEqual([1, 2, 3])
    expect(v3.body.entries.map((e) => e.serial)).toEqual([3, 5])
    expect(isRevoked(v3, { serial: 99, subject: SUBJECT })).toBe(true)
    expect(isRevoked(v3, { serial: 5, subject: 'y' })).toBe(true)
    expect(isRevoked(v1, { serial: 3, subject: SUBJECT })).toBe(false)
    expect(parseArmoredRevocationList(armorRevocationList(v3)).body).toEqual(v3.body)
  })

  it('never accepts a version lower than or equal to the one held', () => {
    const v1 = createRevocationList(acme, undefined, [])
    const v2 = createRevocationList(acme, v1, [])
    expect(acceptRevocationList(v1, v2, acmeOpts()).body.version).toBe(2)
    expect(code(() => acceptRevocationList(v2, v1, acmeOpts()))).toBe('stale')
    expect(code(() => acceptRevocationList(v2, v2, acmeOpts()))).toBe('stale')
  })

  it('refuses another tenant\'s list', () => {
    const theirs = createRevocationList(globex, undefined, [])
    expect(code(() => verifyRevocationList(theirs, acmeOpts()))).toBe('unknown-issuer')
    expect(code(() => verifyRevocationList(theirs, { tenant: 'acme', rootPublicKey: globex.publicKey }))).toBe('wrong-tenant')
  })

  it('the home store refuses to go backwards', async () => {
    const v1 = createRevocationList(acme, undefined, [])
    const v2 = createRevocationList(acme, v1, [{ serial: 1, subject: SUBJECT, revokedAt: 1, reason: 'r' }])
    await writeRevocationList(home, 'acme', v2)
    await expect(writeRevocationList(home, 'acme', v1)).rejects.toMatchObject({ code: 'stale' })
    expect((await readRevocationList(home, 'acme'))!.body.version).toBe(2)
  })

  it('any single-bit flip fails with a named reason', () => {
    const list = createRevocationList(acme, createRevocationList(acme, undefined, []), [
      { serial: 3, subject: SUBJECT, revokedAt: 1700000000000, reason: 'key on a stolen laptop' },
      { serial: 4, subject: SUBJECT, revokedAt: 1700000000001, reason: 'rotated' },
    ])
    const named = new Set(['bad-signature', 'unknown-issuer', 'wrong-tenant', 'malformed'])
    for (let bit = 0; bit < list.bytes.length * 8; bit++) {
      const bytes = new Uint8Array(list.bytes)
      bytes[bit >> 3]! ^= 1 << (bit & 7)
      const r = code(() => verifyRevocationList(decodeRevocationList(bytes), acmeOpts()))
      expect(named.has(r), `bit ${bit}: ${r}`).toBe(true)
    }
  })
})
