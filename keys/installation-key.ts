// The per-installation key that secret hashes are keyed with: 32 random bytes in a 0600 file,
// made on first use. Hashes under it let findings of the same secret be linked without the
// value ever being stored; without the key they reveal nothing.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { KeyError } from './errors.ts'
import { writePrivateFile } from './secure-file.ts'

export async function loadOrCreateInstallationKey(path: string): Promise<Uint8Array> {
  const existing = await readFile(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)))
  if (existing) {
    if (existing.length !== 32) throw new KeyError('bad-key-file', `${path} is not a 32-byte key`)
    return new Uint8Array(existing)
  }
  const key = new Uint8Array(randomBytes(32))
  try {
    await writePrivateFile(path, key, { exclusive: true })
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateInstallationKey(path)
    throw err
  }
  return key
}
