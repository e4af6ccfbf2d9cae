// Named failures of users, tokens and logins; the API maps them to statuses in auth-routes.ts,
// the CLI prints them.
export type AuthErrorCode = 'bad-request' | 'user-exists' | 'unknown-user' | 'unknown-token' | 'weak-password'

export class AuthError extends Error {
  readonly code: AuthErrorCode
  constructor(code: AuthErrorCode, message: string) {
    super(message)
    this.name = 'AuthError'
    this.code = code
  }
}
