// mesh/: the sync protocol /zerotrace/sync/1.1.0 over libp2p, shared by the agent (node/)
// and the hub (hub/): sessions, trust checks on hello, the tenant replica, bundles.
export { MeshError, type MeshErrorCode } from './errors.ts'
export { Counters } from './counters.ts'
export { Channel, codeOf } from './channel.ts'
export { Replica, type ReplicaInit, type Known } from './replica.ts'
export { checkHello, mayPair, type PeerGrant } from './trust.ts'
export { Session, DEFAULT_WINDOW, type SessionInit } from './session.ts'
export { peerPrivateKey } from './peer-key.ts'
export { MeshPeer, backoffMs, HUB_CONNECTIONS, HUB_RECEIVE_SLOTS, type MeshPeerInit } from './peer.ts'
export { Slots } from './slots.ts'
export { writeBundle, importBundle, parseBundle, BundleError, BUNDLE_FORMAT, type BundleHeader, type ImportResult } from './bundle.ts'
export { AdvisoryFeed, FEED_DOC, updateRecords } from './advisory-feed.ts'
