// hub/: the hub process: libp2p for every tenant in its home, its store, its HTTP endpoints.
export { startHub, DEFAULT_HTTP_PORT, DEFAULT_P2P_PORT, OPERATOR_TOKEN_FILE, HUB_ENDPOINT_FILE, type Hub, type HubInit, type TenantState } from './hub.ts'
export { HubStore, HUB_STORE_DIR } from './hub-store.ts'
export { hubAgents, type HubAgent } from './queries.ts'
export { FindingsIndex, type FindingRow, type FindingQuery } from './index/findings-index.ts'
export { importBundleOffline } from './offline-import.ts'
export { HubAuth, AuthError, withAuthStore, type UserView, type TokenView } from './auth/index.ts'
export * from './enrich/index.ts'
