import { describe, it, expect } from 'vitest'
import { generateSeed, noble, publicKeyOf, sign, verify } from './ed25519.ts'

describe('ed25519', () => {
  it('node:crypto and @noble/ed25519 agree (RFC 8032 is deterministic)', () => {
    const seed = generateSeed()
    const msg = new Uint8Array(1000).map((_, i) => i * 7)
    expect(publicKeyOf(seed)).toEqual(noble.getPublicKey(seed))
    expect(sign(seed, msg)).toEqual(noble.sign(msg, seed))
    expect(noble.verify(sign(seed, msg), msg, publicKeyOf(seed))).toBe(true)
  })
  it('RFC 8032 test vector 1', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex')
    expect(Buffer.from(publicKeyOf(seed)).toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')
    expect(Buffer.from(sign(seed, new Uint8Array())).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b')
  })
  it('verify is false, never a throw, on garbage', () => {
    const seed = generateSeed()
    const msg = new Uint8Array([1, 2, 3])
    const sig = sign(seed, msg)
    expect(verify(publicKeyOf(seed), msg, sig)).toBe(true)
    expect(verify(publicKeyOf(seed), new Uint8Array([1, 2, 4]), sig)).toBe(false)
    expect(verify(new Uint8Array(32), msg, sig)).toBe(false)
    expect(verify(publicKeyOf(seed), msg, sig.subarray(1))).toBe(false)
    expect(verify(new Uint8Array(5), msg, sig)).toBe(false)
  })
})
