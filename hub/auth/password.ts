// Password hashes: scrypt with a per-user random salt, parameters kept in the hash string
// (`scrypt$N$r$p$salt$key`, base64url) so they can be raised later without breaking old ones;
// compared in constant time.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { MAX_PASSWORD, MIN_PASSWORD, SCRYPT } from './constants.ts'
import { AuthError } from './errors.ts'

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))))
}

const maxmem = (N: number, r: number) => 256 * N * r

export function checkPasswordPolicy(password: unknown): asserts password is string {
  if (typeof password !== 'string') throw new AuthError('bad-request', 'password: a string')
  if (password.length < MIN_PASSWORD) throw new AuthError('weak-password', `a password has at least ${MIN_PASSWORD} characters`)
  if (password.length > MAX_PASSWORD) throw new AuthError('weak-password', `a password has at most ${MAX_PASSWORD} characters`)
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT
  const salt = randomBytes(saltLength)
  const key = await scrypt(password, salt, keyLength, { N, r, p, maxmem: maxmem(N, r) })
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Whether `password` matches `hash`; false (never a throw) for a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = hash.split('$')
  if (scheme !== 'scrypt' || !saltText || !keyText) return false
  const [N, R, P] = [Number(n), Number(r), Number(p)]
  if (![N, R, P].every((x) => Number.isSafeInteger(x) && x > 0) || N > 2 ** 20 || R > 32 || P > 16) return false
  const expected = Buffer.from(keyText, 'base64url')
  if (password.length > MAX_PASSWORD) return false
  const key = await scrypt(password, Buffer.from(saltText, 'base64url'), expected.length, { N, r: R, p: P, maxmem: maxmem(N, R) })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

let dummy: Promise<string> | undefined
/** A hash no password matches, to spend the same time on an unknown user as on a known one. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'))
  return dummy
}
