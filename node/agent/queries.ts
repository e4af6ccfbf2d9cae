// What `zt agent findings|status|log` answer, computed from the agent's store: the same code
// serves the control socket (agent running) and a direct open (agent stopped).
import * as Y from 'yjs'
import { checkSignature, findingsDoc, hashOf, openEnvelope, EnvelopeError, FINDINGS, type Finding } from '../../crdt/index.ts'
import { GENESIS_PREV } from '../../protocol/index.ts'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArmoredCertificate } from '../../keys/index.ts'
import { CERT_FILE, type AgentStore, type LastScan } from './agent-store.ts'

export async function listFindings(store: AgentStore, agent: string, opts: { all?: boolean }): Promise<Finding[]> {
  const doc = await store.log.doc(findingsDoc(agent))
  if (!doc) return []
  const list = [...doc.getMap<Finding>(FINDINGS).values()].filter((f) => opts.all || f.resolvedAt === undefined)
  return list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.rule < b.rule ? -1 : 1))
}

export interface AgentStatus {
  agentId: string
  running: boolean
  lastScan?: LastScan
  certificate?: { name: string, tenant: string, notAfter: string, roles: string[] }
  certificateError?: string
  docs: Record<string, number>
}

export async function status(store: AgentStore, agent: string, running: boolean, dataDir: string): Promise<AgentStatus> {
  const have = await store.log.haveVector()
  const docs: Record<string, number> = {}
  for (const [doc, byAuthor] of Object.entries(have)) docs[doc] = Object.values(byAuthor).reduce((a, b) => a + b, 0)
  const out: AgentStatus = { agentId: agent, running, lastScan: await store.getMeta<LastScan>('lastScan'), docs }
  // The agent's certificate, when it has one (an agent may run before it is enrolled).
  const text = await readFile(join(dataDir, CERT_FILE), 'utf8').catch(() => undefined)
  if (text !== undefined) {
    try {
      const { body } = parseArmoredCertificate(text)
      out.certificate = { name: body.name, tenant: body.tenant, roles: body.roles, notAfter: new Date(body.notAfter).toISOString() }
    } catch (err) {
      out.certificateError = `${CERT_FILE}: ${(err as Error).message}`
    }
  }
  return out
}

export interface ChainReport { doc: string, author: string, seqs: number, bytes: number, lastSnapshot?: number, broken?: { seq: number, code: string, message: string } }

/** Per doc and author: envelopes and bytes; with verify, every signature and link is checked and the replay compared with the stored state. */
export async function logReport(store: AgentStore, opts: { verify?: boolean }): Promise<ChainReport[]> {
  const out: ChainReport[] = []
  const have = await store.log.haveVector()
  for (const [doc, byAuthor] of Object.entries(have)) {
    const replay = new Y.Doc()
    for (const author of Object.keys(byAuthor)) {
      const r: ChainReport = { doc, author, seqs: 0, bytes: 0 }
      let prev: Uint8Array = GENESIS_PREV
      let expected = 1
      for await (const bytes of store.log.read(doc, author)) {
        r.seqs++
        r.bytes += bytes.length
        if (!opts.verify) {
          try { const env = openEnvelope(bytes); if (env.kind === 'snapshot') r.lastSnapshot = env.seq } catch { /* reported by --verify */ }
          continue
        }
        if (r.broken) continue
        try {
          const env = openEnvelope(bytes)
          if (env.kind === 'snapshot') r.lastSnapshot = env.seq
          checkSignature(env)
          // The first envelope held may be a snapshot (older ones compacted away); any other
          // envelope must follow the one before it, by seq and by hash.
          const jump = env.kind === 'snapshot' && r.seqs === 1
          if (!jump && (env.seq !== expected || !env.prev.every((b, i) => b === prev[i]))) {
            throw new EnvelopeError('out-of-chain', `envelope ${env.seq} does not follow ${expected - 1}`)
          }
          Y.applyUpdate(replay, env.payload)
          prev = hashOf(env)
          expected = env.seq + 1
        } catch (err) {
          r.broken = { seq: expected, code: (err as { code?: string }).code ?? 'malformed', message: (err as Error).message }
        }
      }
      out.push(r)
    }
    if (opts.verify && out.every((r) => r.doc !== doc || !r.broken)) {
      const stored = new Y.Doc()
      const state = await store.log.state(doc)
      if (state) Y.applyUpdate(stored, state)
      if (JSON.stringify(stored.toJSON()) !== JSON.stringify(replay.toJSON())) {
        const first = out.find((r) => r.doc === doc)!
        first.broken = { seq: first.seqs, code: 'state-mismatch', message: `${doc}: the stored state differs from a replay of the log` }
      }
    }
  }
  return out
}
