// Protocol versions: each side says which version it speaks and which it accepts (a semver
// range); a session needs both to hold.
import semver from 'semver'

/** ZeroTrace's own version (package.json's; version.test.ts holds them equal): agents record it with each scan. */
export const ZEROTRACE_VERSION = '0.1.0'
/** What a version reported by a peer may look like (it is shown, so it is checked). */
export const SOFTWARE_VERSION = /^[0-9A-Za-z.+-]{1,32}$/

// 1.1.0: envelopes of version 2 (PROTOCOL.md "Envelope"), which a 1.0 peer refuses: 1.0 peers
// get no session (the id differs, and a hello from one is not accepted) instead of one that
// fails at the first envelope.
export const SYNC_PROTOCOL_ID = '/zerotrace/sync/1.1.0'
export const PROTOCOL_VERSION = '1.1.0'
export const ACCEPTS = '^1.1.0'

/** Whether `v` is a version written out in full, the only form a hello may carry. */
function isCleanVersion(v: string): boolean {
  // semver.valid also takes 'v1.0.0' and '=1.0.0' and hands back the clean form.
  return semver.valid(v) === v
}

/**
 * Whether we can talk to a peer speaking `theirVersion` and accepting `theirAccepts`: theirs
 * must satisfy our range and ours theirs. Anything that is not a version or a range is false.
 */
export function isCompatible(theirVersion: string, theirAccepts: string, ours = { version: PROTOCOL_VERSION, accepts: ACCEPTS }): boolean {
  try {
    return isCleanVersion(theirVersion) && semver.validRange(theirAccepts) !== null &&
      semver.satisfies(theirVersion, ours.accepts) && semver.satisfies(ours.version, theirAccepts)
  } catch {
    return false
  }
}
