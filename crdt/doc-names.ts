// The documents of DESIGN.md "Data model" and who may write each: an agent its own
// inventory and findings, a hub of the tenant the tenant's enrich, triage and agents docs.

export type DocKind = 'inventory' | 'findings' | 'enrich' | 'triage' | 'agents'

export const inventoryDoc = (agent: string) => `inventory/${agent}`
export const findingsDoc = (agent: string) => `findings/${agent}`
export const tenantDoc = (tenant: string, kind: 'enrich' | 'triage' | 'agents') => `${tenant}/${kind}`

export interface ParsedDoc { kind: DocKind, owner: string }

/** The doc's kind and owner (agent id or tenant), or undefined for a name outside the schema. */
export function parseDocName(doc: string): ParsedDoc | undefined {
  const slash = doc.indexOf('/')
  if (slash <= 0 || doc.indexOf('/', slash + 1) !== -1) return undefined
  const head = doc.slice(0, slash)
  const tail = doc.slice(slash + 1)
  if (head === 'inventory' || head === 'findings') return { kind: head, owner: tail }
  if (tail === 'enrich' || tail === 'triage' || tail === 'agents') return { kind: tail, owner: head }
  return undefined
}

export interface WriteRights {
  /** PeerIds holding a hub certificate of the doc's tenant. */
  hubs: ReadonlySet<string>
  /** The tenant the doc must belong to, for tenant docs. */
  tenant?: string
}

/** Whether `author` may write `doc`: each doc has exactly one kind of writer. */
export function mayWrite(doc: string, author: string, rights: WriteRights): boolean {
  const d = parseDocName(doc)
  if (!d) return false
  if (d.kind === 'inventory' || d.kind === 'findings') return d.owner === author
  return rights.hubs.has(author) && (rights.tenant === undefined || rights.tenant === d.owner)
}
