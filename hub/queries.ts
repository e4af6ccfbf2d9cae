// What `zt hub agents` answers, from a tenant's replica: each agent's certificate, presence,
// last scan and version. The status comes from `<tenant>/agents` (small, kept by the hub as
// scans arrive); an agent's own scan record is read only where that doc lacks it (a bundle
// imported while the hub was stopped), since it means materializing the agent's findings doc.
import { SCAN, agentStatusOf, parseDocName, tenantDoc, type ScanSummary } from '../crdt/index.ts'
import type { Replica } from '../mesh/index.ts'
import type { HubStore } from './hub-store.ts'

/** Agents with a findings doc at the hub. */
async function findingsDocs(replica: Replica): Promise<{ agent: string, doc: string }[]> {
  const have = await replica.log.haveVector()
  return Object.keys(have).map((doc) => ({ doc, p: parseDocName(doc) })).filter((d) => d.p?.kind === 'findings').map((d) => ({ agent: d.p!.owner, doc: d.doc }))
}

export interface HubAgent {
  id: string
  name?: string
  online: boolean
  lastSeen?: string
  lastScan?: string
  /** The agent's ZeroTrace version, from its last scan record. */
  version?: string
  certificateExpiry?: string
  roles?: string[]
  revoked: boolean
}

export async function hubAgents(replica: Replica, store: HubStore, online: Set<string>): Promise<HubAgent[]> {
  const ids = new Set<string>(replica.certificates().filter((c) => !c.body.roles.includes('hub')).map((c) => c.body.subject))
  const docs = await findingsDocs(replica)
  for (const d of docs) ids.add(d.agent)
  const statusDoc = await replica.log.doc(tenantDoc(replica.tenant, 'agents'))
  const out: HubAgent[] = []
  for (const id of ids) {
    const cert = replica.certificateOf(id)?.body
    const seen = await store.lastSeen(replica.tenant, id)
    const status = statusDoc ? agentStatusOf(statusDoc, id) : undefined
    const doc = docs.find((d) => d.agent === id)
    const scan: Partial<ScanSummary> | undefined = status?.lastScan !== undefined ? { at: status.lastScan, version: status.version }
      : doc ? (await replica.log.doc(doc.doc))?.getMap<ScanSummary>(SCAN).get('last') : undefined
    out.push({
      id, name: cert?.name, online: online.has(id), revoked: replica.isRevoked(id), roles: cert?.roles,
      lastSeen: seen ? new Date(seen).toISOString() : undefined,
      lastScan: scan?.at !== undefined ? new Date(scan.at).toISOString() : undefined,
      ...(typeof scan?.version === 'string' ? { version: scan.version } : {}),
      certificateExpiry: cert ? new Date(cert.notAfter).toISOString() : undefined,
    })
  }
  return out.sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id))
}
