// hub/auth/: the hub's users (scrypt passwords, operator flag, a role per tenant), browser
// sessions with CSRF tokens, API tokens, login rate limits, the first-run setup token, and
// their API routes.
export { HubAuth, type HubAuthInit, type HubAuthComponents } from './hub-auth.ts'
export { authRoutes } from './auth-routes.ts'
export { userRoutes } from './user-routes.ts'
export { withAuthStore } from './offline.ts'
export { AuthError, type AuthErrorCode } from './errors.ts'
export { SESSION_COOKIE, API_TOKEN_PREFIX } from './constants.ts'
export type { UserView } from './users.ts'
export type { TokenView } from './api-tokens.ts'
