// A secret sealed under a passphrase: scrypt-derived key + AES-256-GCM. The container is a
// small versioned msgpack map that keeps its KDF parameters, so they can be raised later.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto'
import { pack, unpack } from '../protocol/index.ts'
import { KeyError } from './errors.ts'

const KDF = { N: 1 << 15, r: 8, p: 1 }

function scrypt(passphrase: string, salt: Uint8Array, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(passphrase.normalize('NFKC'), salt, 32, { ...opts, maxmem: 256 * opts.N! * opts.r! }, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

export async function seal(secret: Uint8Array, passphrase: string, aad: string): Promise<Uint8Array> {
  const salt = randomBytes(16)
  const nonce = randomBytes(12)
  const key = await scrypt(passphrase, salt, KDF)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(Buffer.from(aad))
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()])
  return pack({ v: 1, kdf: 'scrypt', N: KDF.N, r: KDF.r, p: KDF.p, salt, nonce, ciphertext, tag: cipher.getAuthTag() })
}

export async function unseal(bytes: Uint8Array, passphrase: string, aad: string): Promise<Uint8Array> {
  let c: Record<string, unknown>
  try { c = unpack(bytes) as Record<string, unknown> } catch (err) { throw new KeyError('bad-key-file', 'sealed key file is not readable', { cause: err }) }
  const bin = (k: string, len?: number) => {
    const v = c?.[k]
    if (!(v instanceof Uint8Array) || (len !== undefined && v.length !== len)) throw new KeyError('bad-key-file', `sealed key file: bad ${k}`)
    return v
  }
  if (c?.v !== 1 || c.kdf !== 'scrypt') throw new KeyError('bad-key-file', 'sealed key file: unsupported format')
  const [N, r, p] = [c.N, c.r, c.p]
  if (![N, r, p].every((x) => Number.isSafeInteger(x) && (x as number) > 0) || (N as number) > 1 << 22) throw new KeyError('bad-key-file', 'sealed key file: bad KDF parameters')
  const key = await scrypt(passphrase, bin('salt', 16), { N: N as number, r: r as number, p: p as number })
  const decipher = createDecipheriv('aes-256-gcm', key, bin('nonce', 12))
  decipher.setAAD(Buffer.from(aad))
  decipher.setAuthTag(bin('tag', 16))
  try {
    return new Uint8Array(Buffer.concat([decipher.update(bin('ciphertext')), decipher.final()]))
  } catch {
    throw new KeyError('bad-passphrase', 'wrong passphrase (or the key file was altered)')
  }
}
