// Who a peer is, from its hello: the certificate whose subject is the Noise-authenticated
// PeerId, issued by the root of a tenant we serve, valid now, not revoked, granting the
// role the peer claims. One named reason when not.
import { decodeCertificate, verifyCertificate, CertificateError, type CertificateBody, type Role } from '../keys/index.ts'
import type { Message, PeerRole } from '../protocol/index.ts'
import { MeshError } from './errors.ts'
import type { Replica } from './replica.ts'

export interface PeerGrant {
  peerId: string
  tenant: string
  role: PeerRole
  cert: CertificateBody
  certBytes: Uint8Array
}

/** Which roles may talk to which: agents reach hubs and relays, relays also each other. */
export function mayPair(ours: PeerRole, theirs: PeerRole): boolean {
  if (ours === 'hub') return theirs === 'agent' || theirs === 'relay'
  if (ours === 'relay') return true
  return theirs === 'hub' || theirs === 'relay'
}

/**
 * The grant for a peer's hello, or a MeshError with the reason. `replicaOf` answers for the
 * tenants we serve; a certificate of any other tenant is `wrong-tenant`.
 */
export function checkHello(hello: Extract<Message, { type: 'hello' }>, remotePeer: string, ourRole: PeerRole, replicaOf: (tenant: string) => Replica | undefined, now: number): { grant: PeerGrant, replica: Replica } {
  if (hello.certificates.length === 0) throw new MeshError('no-certificate', 'hello carries no certificate')
  let first: Error | undefined
  for (const bytes of hello.certificates) {
    try {
      let cert
      try { cert = decodeCertificate(bytes) } catch (err) { throw err instanceof CertificateError ? err : new MeshError('malformed', 'certificate does not decode') }
      if (cert.body.subject !== remotePeer) throw new MeshError('subject-mismatch', `certificate is for ${cert.body.subject}, not the connected peer ${remotePeer}`)
      const replica = replicaOf(cert.body.tenant)
      if (!replica) throw new CertificateError('wrong-tenant', `tenant '${cert.body.tenant}' is not served here`)
      if (!cert.body.roles.includes(hello.role as Role)) throw new CertificateError('role-not-allowed', `certificate does not grant the '${hello.role}' role`)
      const body = verifyCertificate(cert, { tenant: replica.tenant, rootPublicKey: replica.rootPublicKey, revocationList: replica.revocationList, now })
      if (!mayPair(ourRole, hello.role)) throw new CertificateError('role-not-allowed', `a ${ourRole} does not sync with a ${hello.role}`)
      replica.claimAgent(body)
      return { grant: { peerId: remotePeer, tenant: replica.tenant, role: hello.role, cert: body, certBytes: cert.bytes }, replica }
    } catch (err) {
      first ??= err as Error
    }
  }
  throw first!
}
