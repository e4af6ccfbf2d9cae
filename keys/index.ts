// keys/: identities, certificates and revocation (DESIGN.md "Trust model"). No network I/O.
export { KeyError, CertificateError, RevocationError, type KeyErrorCode, type CertificateReason, type RevocationErrorCode } from './errors.ts'
export { sign, verify, generateSeed, publicKeyOf, noble } from './ed25519.ts'
export { createAgentKey, loadAgentKey, publicKeyFromPeerId, AGENT_KEY_FILE, type AgentIdentity } from './agent-key.ts'
export { createTenantRoot, openTenantRoot, readTenantPublicKey, listTenants, checkTenantName, tenantDir, type TenantRoot } from './tenant-root.ts'
export { readPassphrase, type PassphraseSource } from './passphrase.ts'
export {
  issueCertificate, decodeCertificate, verifyCertificate, checkCertificate, armorCertificate, parseArmoredCertificate,
  ROLES, DEFAULT_SKEW_MS, type Certificate, type CertificateBody, type Role, type IssueFields, type VerifyOptions, type CheckResult,
} from './certificate.ts'
export {
  createRevocationList, decodeRevocationList, verifyRevocationList, acceptRevocationList, isRevoked,
  armorRevocationList, parseArmoredRevocationList, type RevocationList, type RevocationListBody, type RevocationEntry,
} from './revocation-list.ts'
export { nextSerial, recordIssued, listIssued, readRevocationList, writeRevocationList } from './tenant-store.ts'
export { loadOrCreateInstallationKey } from './installation-key.ts'
export { writePrivateFile, ensurePrivateDir } from './secure-file.ts'
