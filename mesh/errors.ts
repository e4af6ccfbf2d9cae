// Why a session was refused or ended: one named code, sent in `refuse` and counted.
import type { CertificateReason } from '../keys/index.ts'
import type { ProtocolErrorCode } from '../protocol/index.ts'
import type { EnvelopeErrorCode } from '../crdt/index.ts'

export type MeshErrorCode =
  | CertificateReason | ProtocolErrorCode | EnvelopeErrorCode
  | 'hello-required' | 'unexpected-hello' | 'no-certificate' | 'subject-mismatch' | 'tenant-conflict'
  | 'flow-control' | 'relay-full' | 'timeout' | 'closed' | 'unknown-author' | 'bad-revocation-list' | 'bad-update'

export class MeshError extends Error {
  readonly code: MeshErrorCode
  constructor(code: MeshErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MeshError'
    this.code = code
  }
}
