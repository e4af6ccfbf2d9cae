// Who may call what: every API route declares its access once, where it is registered
// (hub/api/route.ts), and one check enforces it. Roles per tenant are ordered
// viewer < analyst < admin; the hub-wide operator manages tenants and acts as admin of all.
export type TenantRole = 'viewer' | 'analyst' | 'admin'
export const TENANT_ROLES: readonly TenantRole[] = ['viewer', 'analyst', 'admin']

export type Access =
  | { kind: 'public' }
  /** Any authenticated principal (its own session, tokens…). */
  | { kind: 'authenticated' }
  | { kind: 'operator' }
  /** At least this role on the tenant named by the route's `:tenant` parameter. */
  | { kind: 'tenant', role: TenantRole }

export interface Principal {
  /** How it authenticated. */
  via: 'operator-token' | 'session' | 'api-token'
  /** The user name (the operator token has none). */
  user?: string
  operator: boolean
  roles: Readonly<Record<string, TenantRole>>
  /** For sessions: the CSRF token unsafe methods must echo in `x-csrf-token`. */
  csrf?: string
}

export function roleAtLeast(have: TenantRole | undefined, need: TenantRole): boolean {
  return have !== undefined && TENANT_ROLES.indexOf(have) >= TENANT_ROLES.indexOf(need)
}

/** Whether `p` may use a route with `access` (for `tenant` when the route names one). */
export function allowed(p: Principal | undefined, access: Access, tenant?: string): boolean {
  if (access.kind === 'public') return true
  if (!p) return false
  if (access.kind === 'authenticated') return true
  if (access.kind === 'operator') return p.operator
  if (p.operator) return true
  return tenant !== undefined && roleAtLeast(p.roles[tenant], access.role)
}
