// Bundles carry envelopes across an air gap: a file of frames (protocol/frame.ts), the first
// a msgpack header {format, v, tenant, from, createdAt, certificates}, then one envelope per
// frame, as stored. Importing verifies the whole bundle first (signatures, authors and their
// certificates, each author's chain from what the importer holds) and stores nothing when
// any envelope fails, naming it; envelopes already held are skipped, so importing twice
// changes nothing.
import { checkSignature, hashOf, mayWrite, openEnvelope, placeOnChain, type ChainHead, type HaveVector } from '../crdt/index.ts'
import { encodeFrame, decodeFrames, pack, unpackUntrusted, MAX_FRAME, ProtocolError } from '../protocol/index.ts'
import { codeOf } from './channel.ts'
import { MeshError } from './errors.ts'
import type { Replica } from './replica.ts'

export const BUNDLE_FORMAT = 'zerotrace-bundle'

export interface BundleHeader { format: string, v: 1, tenant: string, from: string, createdAt: number, certificates: Uint8Array[] }

export class BundleError extends Error {
  readonly code: string
  /**
   * The envelope that failed, when one did: `envelope <n> of the bundle (<doc>#<seq> by <author>)`.
   * Its place comes first: the fields of a tampered envelope name some other envelope.
   */
  readonly envelope: string | undefined
  constructor(code: string, message: string, envelope?: string) {
    super(envelope ? `${envelope}: ${message}` : message)
    this.name = 'BundleError'
    this.code = code
    this.envelope = envelope
  }
}

/** The bundle's frames: what this replica holds (of its own and relayed docs), or only what the hub has not acked. */
export async function* writeBundle(replica: Replica, opts: { sinceAck?: boolean, now?: number } = {}): AsyncGenerator<Uint8Array> {
  const have = await replica.log.haveVector()
  const acked: HaveVector = opts.sinceAck ? await replica.acked() : {}
  const authors = new Set<string>()
  for (const byAuthor of Object.values(have)) for (const a of Object.keys(byAuthor)) authors.add(a)
  const certificates = [...authors].map((a) => replica.certificateOf(a)?.bytes).filter((c): c is Uint8Array => c !== undefined)
  const header: BundleHeader = { format: BUNDLE_FORMAT, v: 1, tenant: replica.tenant, from: replica.self, createdAt: opts.now ?? Date.now(), certificates }
  yield encodeFrame(pack(header))
  for (const [doc, byAuthor] of Object.entries(have)) {
    for (const author of Object.keys(byAuthor)) {
      for await (const bytes of replica.log.read(doc, author, (acked[doc]?.[author] ?? 0) + 1)) yield encodeFrame(bytes)
    }
  }
}

function readHeader(frame: Uint8Array): BundleHeader {
  let h: unknown
  try { h = unpackUntrusted(frame, { maxNodes: 10_000, maxDepth: 3 }, 'bundle header') } catch (err) { throw new BundleError('malformed', `bundle header: ${(err as Error).message}`) }
  const m = h as Partial<BundleHeader>
  if (typeof m !== 'object' || m === null || m.format !== BUNDLE_FORMAT || m.v !== 1) throw new BundleError('malformed', 'not a ZeroTrace bundle (header)')
  if (typeof m.tenant !== 'string' || typeof m.from !== 'string' || !Array.isArray(m.certificates) || !m.certificates.every((c) => c instanceof Uint8Array)) throw new BundleError('malformed', 'bundle header fields')
  return m as BundleHeader
}

export interface ImportResult { tenant: string, from: string, envelopes: number, stored: number, duplicates: number }

/** Splits bundle bytes into its header and envelopes; a broken frame is `malformed`. */
export function parseBundle(bytes: Uint8Array): { header: BundleHeader, envelopes: Uint8Array[] } {
  let frames: Uint8Array[]
  try { frames = decodeFrames(bytes, MAX_FRAME) } catch (err) { throw new BundleError(err instanceof ProtocolError ? err.code : 'malformed', `bundle frames: ${(err as Error).message}`) }
  if (frames.length === 0) throw new BundleError('malformed', 'empty bundle')
  return { header: readHeader(frames[0]!), envelopes: frames.slice(1) }
}

/**
 * Verifies every envelope of a bundle against what `replica` holds, then stores them.
 * `replicaOf` picks the replica of the bundle's tenant (a hub serves several).
 */
export async function importBundle(bytes: Uint8Array, replicaOf: (tenant: string) => Replica | undefined): Promise<ImportResult> {
  const { header, envelopes } = parseBundle(bytes)
  const replica = replicaOf(header.tenant)
  if (!replica) throw new BundleError('wrong-tenant', `tenant '${header.tenant}' is not served here`)
  for (const cert of header.certificates) {
    // A certificate that does not verify is skipped; its author's envelopes then fail by name.
    await replica.learnCertificate(cert).catch(() => {})
  }
  // Pass 1: verify everything, stepping a copy of each chain head; nothing is written.
  const heads = new Map<string, ChainHead | undefined>()
  const rights = { hubs: new Set<string>(), tenant: replica.tenant }
  const opened = []
  const inBundle = new Map<string, Uint8Array>()
  for (const bytes of envelopes) {
    let env
    try { env = openEnvelope(bytes) } catch (err) { throw new BundleError(codeOf(err), (err as Error).message, `envelope ${opened.length + 1} of the bundle`) }
    const name = `envelope ${opened.length + 1} of the bundle (${env.doc}#${env.seq} by ${env.author})`
    try {
      // Revoked first: a revoked author's certificate is not learnt, and it is revoked, not unknown.
      if (replica.isRevoked(env.author)) throw new MeshError('revoked', `${env.author} is revoked`)
      if (!replica.certificateOf(env.author)) throw new MeshError('unknown-author', `no valid certificate of ${env.author} in tenant '${replica.tenant}'`)
      if (!mayWrite(env.doc, env.author, rights)) throw new MeshError('wrong-author', `${env.author} may not write ${env.doc}`)
      checkSignature(env)
      const key = `${env.doc}\u0000${env.author}`
      const head = heads.has(key) ? heads.get(key) : await replica.log.head(env.doc, env.author)
      if (placeOnChain(env, head) === 'next') {
        heads.set(key, { seq: env.seq, hash: hashOf(env) })
      } else {
        // A seq held already (or earlier in this bundle) must be the same envelope.
        let held = inBundle.get(`${key}\u0000${env.seq}`)
        if (!held) for await (const b of replica.log.read(env.doc, env.author, env.seq, env.seq)) held = b
        if (held && !Buffer.from(held).equals(Buffer.from(env.bytes))) throw new MeshError('replay', `a different envelope ${env.seq} of ${env.author} is held`)
        heads.set(key, head)
      }
      inBundle.set(`${key}\u0000${env.seq}`, env.bytes)
    } catch (err) {
      throw new BundleError(codeOf(err), (err as Error).message, name)
    }
    opened.push(env)
  }
  // Pass 2: store (a duplicate is skipped; a different envelope at a held seq fails by name).
  let stored = 0
  for (const [i, env] of opened.entries()) {
    try {
      const r = await replica.receive(env.bytes, env.author)
      if (r === 'stored') { stored++; replica.changed(env.doc, env.author) }
    } catch (err) {
      throw new BundleError(codeOf(err), (err as Error).message, `envelope ${i + 1} of the bundle (${env.doc}#${env.seq} by ${env.author})`)
    }
  }
  return { tenant: header.tenant, from: header.from, envelopes: opened.length, stored, duplicates: opened.length - stored }
}
