// Tenant root keys in a home: `<home>/tenants/<tenant>/root.key` sealed under a passphrase,
// `root.pub` beside it in hex for anyone who only verifies.
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { generateSeed, publicKeyOf, sign } from './ed25519.ts'
import { KeyError } from './errors.ts'
import { seal, unseal } from './sealed-key.ts'
import { writePrivateFile } from './secure-file.ts'

export interface TenantRoot {
  tenant: string
  publicKey: Uint8Array
  sign(bytes: Uint8Array): Uint8Array
}

const TENANT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/

export function checkTenantName(tenant: string): string {
  if (!TENANT_NAME.test(tenant)) throw new KeyError('bad-tenant-name', `'${tenant}' is not a tenant name (lowercase letters, digits, dashes; up to 63)`)
  return tenant
}

export function tenantDir(home: string, tenant: string): string {
  return join(home, 'tenants', checkTenantName(tenant))
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false)
}

export async function createTenantRoot(home: string, tenant: string, passphrase: string): Promise<{ tenant: string, publicKey: Uint8Array }> {
  const dir = tenantDir(home, tenant)
  if (await exists(join(dir, 'root.key'))) throw new KeyError('exists', `tenant '${tenant}' already has a root key in ${home}`)
  if (passphrase.length < 8) throw new KeyError('bad-passphrase', 'a tenant passphrase needs at least 8 characters')
  const seed = generateSeed()
  const publicKey = publicKeyOf(seed)
  const sealed = await seal(seed, passphrase, `zerotrace tenant root ${tenant}`)
  try {
    await writePrivateFile(join(dir, 'root.key'), sealed, { exclusive: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyError('exists', `tenant '${tenant}' already has a root key in ${home}`)
    throw err
  }
  await writePrivateFile(join(dir, 'root.pub'), Buffer.from(publicKey).toString('hex') + '\n')
  return { tenant, publicKey }
}

export async function openTenantRoot(home: string, tenant: string, passphrase: string): Promise<TenantRoot> {
  const path = join(tenantDir(home, tenant), 'root.key')
  const sealed = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new KeyError('not-found', `no tenant '${tenant}' in ${home} (zt tenant create ${tenant})`)
    throw err
  })
  const seed = await unseal(sealed, passphrase, `zerotrace tenant root ${tenant}`)
  if (seed.length !== 32) throw new KeyError('bad-key-file', `${path}: not an ed25519 seed`)
  const publicKey = publicKeyOf(seed)
  return { tenant, publicKey, sign: (bytes) => sign(seed, bytes) }
}

export async function readTenantPublicKey(home: string, tenant: string): Promise<Uint8Array> {
  const text = await readFile(join(tenantDir(home, tenant), 'root.pub'), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new KeyError('not-found', `no tenant '${tenant}' in ${home}`)
    throw err
  })
  const hex = text.trim()
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new KeyError('bad-key-file', `tenant '${tenant}': root.pub is not a public key`)
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

export async function listTenants(home: string): Promise<string[]> {
  const entries = await readdir(join(home, 'tenants'), { withFileTypes: true }).catch(() => [])
  const out: string[] = []
  for (const e of entries) if (e.isDirectory() && TENANT_NAME.test(e.name) && await exists(join(home, 'tenants', e.name, 'root.pub'))) out.push(e.name)
  return out.sort()
}
