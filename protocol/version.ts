// Protocol versions: each side says which version it speaks and which it accepts (a semver
// range); a session needs both to hold.
import semver from 'semver'

export const SYNC_PROTOCOL_ID = '/zerotrace/sync/1.0.0'
export const PROTOCOL_VERSION = '1.0.0'
export const ACCEPTS = '^1.0.0'

/** Whether we can talk to a peer speaking `theirVersion` and accepting `theirAccepts`. */
export function isCompatible(theirVersion: string, theirAccepts: string, ours = { version: PROTOCOL_VERSION, accepts: ACCEPTS }): boolean {
  try {
    return semver.valid(theirVersion) !== null && semver.validRange(theirAccepts) !== null &&
      semver.satisfies(theirVersion, ours.accepts) && semver.satisfies(ours.version, theirAccepts)
  } catch {
    return false
  }
}
