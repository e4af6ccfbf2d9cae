// The one way API routes are registered: method, path, access, handler. The registry is
// what the RBAC matrix test walks, so a route without a declared access cannot exist.
import type { Context, Hono } from 'hono'
import { allowed, type Access, type Principal } from './access.ts'
import { apiError } from './errors.ts'

export interface RouteSpec { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, access: Access, summary: string }

export type ApiEnv = { Variables: { principal?: Principal } }

export type Handler = (c: Context<ApiEnv>) => Response | Promise<Response>

export class Routes {
  readonly specs: RouteSpec[] = []
  readonly #app: Hono<ApiEnv>

  constructor(app: Hono<ApiEnv>) {
    this.#app = app
  }

  add(method: RouteSpec['method'], path: string, access: Access, summary: string, handler: Handler): void {
    this.specs.push({ method, path, access, summary })
    this.#app.on(method, path, async (c) => {
      const p = c.get('principal')
      if (access.kind !== 'public' && !p) apiError(401, 'unauthorized', 'sign in, or send Authorization: Bearer <token>')
      if (!allowed(p, access, c.req.param('tenant'))) {
        // Another tenant's data is indistinguishable from none: 404, not 403.
        if (access.kind === 'tenant' && !(p!.roles[c.req.param('tenant') ?? ''] || p!.operator)) apiError(404, 'unknown-tenant', 'no such tenant')
        apiError(403, 'forbidden', `this needs ${access.kind === 'tenant' ? `the ${access.role} role on the tenant` : access.kind === 'operator' ? 'the operator' : 'access'}`)
      }
      return handler(c)
    })
  }
}
