// The agent's certificate and mesh options: what it takes to know whether (and as whom) an
// agent joins the mesh, without loading the mesh (libp2p) when it does not.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArmoredCertificate, verifyCertificate, writePrivateFile, type AgentIdentity, type Certificate } from '../../keys/index.ts'
import { CERT_FILE } from './agent-store.ts'

export interface AgentMeshOptions {
  /** Armored certificate file (default <data>/agent.cert, where a given one is also copied). */
  certFile?: string
  hub?: string
  peers?: string[]
  /** Keep and forward other agents' envelopes (the certificate must grant `relay`). */
  relay?: boolean
  listen?: string[]
  relayCapBytes?: number
}

/** The agent's certificate: for this key, well formed and signed by the root it names. */
export async function loadAgentCertificate(dataDir: string, identity: AgentIdentity, file?: string): Promise<Certificate | undefined> {
  const path = file ?? join(dataDir, CERT_FILE)
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' && file === undefined) return undefined
    throw new Error(`certificate ${path}: ${err.message}`)
  })
  if (text === undefined) return undefined
  const cert = parseArmoredCertificate(text)
  if (cert.body.subject !== identity.peerId) throw new Error(`certificate ${path} is for ${cert.body.subject}, not this agent (${identity.peerId})`)
  verifyCertificate(cert, { tenant: cert.body.tenant, rootPublicKey: cert.body.issuer, now: Date.now() })
  if (file !== undefined) await writePrivateFile(join(dataDir, CERT_FILE), text)
  return cert
}

/** Whether the options ask for any network at all (else the agent stays off the mesh). */
export function wantsMesh(opts: AgentMeshOptions | undefined): boolean {
  return !!opts && (opts.hub !== undefined || (opts.peers?.length ?? 0) > 0 || (opts.listen?.length ?? 0) > 0 || !!opts.relay)
}
