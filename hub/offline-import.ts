// `zt hub import` while the hub is stopped: the bundle goes straight into the hub's store,
// verified against the tenant roots' public keys in the home (no passphrase needed).
import { join } from 'node:path'
import { listTenants, loadAgentKey, readRevocationList, readTenantPublicKey } from '../keys/index.ts'
import { importBundle, parseBundle, Replica, type ImportResult } from '../mesh/index.ts'
import { HubStore } from './hub-store.ts'

export async function importBundleOffline(home: string, dataDir: string | undefined, bytes: Uint8Array): Promise<ImportResult> {
  const dir = dataDir ?? join(home, 'hub')
  const { header } = parseBundle(bytes)
  const tenants = await listTenants(home)
  const store = await HubStore.open(dir)
  try {
    const self = (await loadAgentKey(dir).catch(() => undefined))?.peerId ?? 'offline'
    const replicas = new Map<string, Replica>()
    if (tenants.includes(header.tenant)) {
      const t = store.tenant(header.tenant)
      const replica = await Replica.open({
        tenant: header.tenant, rootPublicKey: await readTenantPublicKey(home, header.tenant), self, role: 'hub', log: t.log, meta: t.meta,
        claim: (c) => store.claim(c.subject, header.tenant),
      })
      const crl = await readRevocationList(home, header.tenant)
      if (crl) await replica.adoptRevocationList(crl.bytes)
      replicas.set(header.tenant, replica)
    }
    return await importBundle(bytes, (t) => replicas.get(t))
  } finally {
    await store.close()
  }
}
