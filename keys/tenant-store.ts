// What a home keeps per tenant beside its root key: the certificates it issued
// (`issued/<serial>.cert`), the current revocation list (`crl`) and the next serial.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { RevocationError } from './errors.ts'
import { armorCertificate, parseArmoredCertificate, type Certificate } from './certificate.ts'
import { decodeRevocationList, type RevocationList } from './revocation-list.ts'
import { tenantDir } from './tenant-root.ts'
import { writePrivateFile } from './secure-file.ts'

/** Reserves and returns the next certificate serial of a tenant (1, 2, 3…). */
export async function nextSerial(home: string, tenant: string): Promise<number> {
  const path = join(tenantDir(home, tenant), 'next-serial')
  const text = await readFile(path, 'utf8').catch(() => '1')
  const serial = Number.parseInt(text.trim(), 10)
  const n = Number.isSafeInteger(serial) && serial > 0 ? serial : 1
  await writePrivateFile(path, String(n + 1) + '\n')
  return n
}

export async function recordIssued(home: string, tenant: string, cert: Certificate): Promise<void> {
  await writePrivateFile(join(tenantDir(home, tenant), 'issued', `${cert.body.serial}.cert`), armorCertificate(cert))
}

export async function listIssued(home: string, tenant: string): Promise<Certificate[]> {
  const dir = join(tenantDir(home, tenant), 'issued')
  const names = await readdir(dir).catch(() => [] as string[])
  const certs = await Promise.all(names.filter((n) => /^\d+\.cert$/.test(n)).map(async (n) => parseArmoredCertificate(await readFile(join(dir, n), 'utf8'))))
  return certs.sort((a, b) => a.body.serial - b.body.serial)
}

export async function readRevocationList(home: string, tenant: string): Promise<RevocationList | undefined> {
  const bytes = await readFile(join(tenantDir(home, tenant), 'crl')).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined
    throw err
  })
  return bytes ? decodeRevocationList(bytes) : undefined
}

/** Stores a list; refuses one that is not newer than the list held. */
export async function writeRevocationList(home: string, tenant: string, list: RevocationList): Promise<void> {
  const held = await readRevocationList(home, tenant)
  if (held && list.body.version <= held.body.version) {
    throw new RevocationError('stale', `revocation list version ${list.body.version} is not newer than the held version ${held.body.version}`)
  }
  await writePrivateFile(join(tenantDir(home, tenant), 'crl'), list.bytes)
}
