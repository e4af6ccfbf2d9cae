// The hub's HTTP side: /healthz, /metrics and the API under /api/v1. Every API route is
// registered through Routes with its access declared (hub/api/route.ts); one onError renders
// the one error shape {error: {code, message}}.
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { importBundle, BundleError } from '../mesh/index.ts'
import { apiError } from './api/errors.ts'
import { authenticate, operatorToken, type Authenticator } from './api/authenticate.ts'
import type { Principal } from './api/access.ts'
import { Routes, type ApiEnv } from './api/route.ts'
import type { Hub } from './hub.ts'
import { agentRoutes } from './routes/agents.ts'
import { keyRoutes } from './routes/keys.ts'
import { reportRoutes } from './routes/reports.ts'
import { overviewRoutes } from './routes/overview.ts'
import { webhookRoutes } from './routes/webhooks.ts'
import { upgradeRoutes } from './routes/upgrades.ts'
import { Histogram, label, renderMetrics } from './metrics.ts'
import { findingRoutes } from './routes/findings.ts'
import { suppressionRoutes } from './routes/suppressions.ts'
import { feedRoutes, FEED_PATHS } from './routes/feeds.ts'
import { authRoutes, userRoutes, type HubAuth } from './auth/index.ts'
import { serveWeb } from './static.ts'

export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024
/** Bodies other than bundles. */
export const MAX_BODY_BYTES = 1024 * 1024

/** Everything that can authenticate a caller, in order (API calls and /sync upgrades alike). */
export function authenticatorsOf(token: string, auth?: HubAuth): Authenticator[] {
  return [operatorToken(token), ...(auth?.authenticators() ?? [])]
}

/** The principal of a request outside Hono (a WebSocket upgrade), by the same authenticators. */
export function principalResolver(authenticators: Authenticator[]): (headers: Headers) => Promise<Principal | undefined> {
  const gate = new Hono<ApiEnv>()
  gate.use('*', authenticate(authenticators))
  gate.get('*', (c) => c.json({ principal: c.get('principal') ?? null }))
  return async (headers) => ((await (await gate.fetch(new Request('http://hub/', { headers }))).json()) as { principal: Principal | null }).principal ?? undefined
}

export function createHttpApp(hub: Hub, token: string, log: (line: string) => void): { app: Hono<ApiEnv>, routes: Routes } {
  const app = new Hono<ApiEnv>()

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse()
    log(`http ${c.req.method} ${c.req.path}: ${err.message}`)
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500)
  })
  app.notFound((c) => c.json({ error: { code: 'not-found', message: `no route ${c.req.method} ${c.req.path}` } }, 404))

  app.get('/healthz', (c) => c.json({ status: 'ok' }))

  const apiLatency = new Histogram([0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
  app.get('/readyz', (c) => (hub.ready() ? c.json({ status: 'ready' }) : c.json({ status: 'starting' }, 503)))

  // Tenant names are in the series: /metrics takes the operator token, as a scrape config can.
  app.get('/metrics', authenticate(authenticatorsOf(token, hub.auth)), (c) => {
    if (!c.get('principal')?.operator) apiError(401, 'unauthorized', 'metrics need the operator token')
    const agentsByTenant = Object.fromEntries([...hub.tenants.keys()].map((t) => [t, hub.online(t).size]))
    return c.text(renderMetrics({ counters: hub.mesh.counters.snapshot(), sessions: hub.mesh.sessions.size, agentsByTenant, apiLatency, syncLag: hub.syncLag, enrichment: hub.enrichment.metrics() }), 200, { 'content-type': 'text/plain; version=0.0.4' })
  })

  const api = new Hono<ApiEnv>()
  api.use('*', async (c, next) => {
    const started = performance.now()
    try {
      await next()
    } finally {
      apiLatency.observe(`route="${label(c.req.routePath)}",method="${c.req.method}",status="${c.res.status}"`, (performance.now() - started) / 1000)
    }
  })
  api.use('*', authenticate(authenticatorsOf(token, hub.auth)))
  api.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const max = c.req.path.endsWith('/bundles') || FEED_PATHS.some((p) => c.req.path.endsWith(p)) ? MAX_BUNDLE_BYTES : MAX_BODY_BYTES
    return bodyLimit({ maxSize: max, onError: () => apiError(413, 'too-large', `a request body here is at most ${max} bytes`) })(c, next)
  })
  const routes = new Routes(api)
  const tenantOf = (name: string) => hub.tenants.get(name) ?? apiError(404, 'unknown-tenant', 'no such tenant')

  authRoutes(routes, hub.auth); userRoutes(routes, hub.auth, { hasTenant: (t) => hub.tenants.has(t) })
  findingRoutes(routes, hub, tenantOf)

  agentRoutes(routes, hub, hub.home, tenantOf)
  keyRoutes(routes, hub, hub.home, tenantOf)
  reportRoutes(routes, tenantOf)
  overviewRoutes(routes, hub, tenantOf)
  webhookRoutes(routes, tenantOf)
  upgradeRoutes(routes, tenantOf)
  suppressionRoutes(routes, hub, tenantOf)

  feedRoutes(routes, hub)

  routes.add('POST', '/bundles', { kind: 'operator' }, 'import an agent bundle', async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    try {
      const result = await importBundle(bytes, (t) => hub.tenants.get(t)?.replica)
      hub.mesh.counters.add('bundles:imported')
      return c.json(result)
    } catch (err) {
      if (!(err instanceof BundleError)) throw err
      hub.mesh.counters.add(`bundles:refused:${err.code}`)
      return c.json({ error: { code: err.code, message: err.message, envelope: err.envelope } }, 400)
    }
  })

  app.route('/api/v1', api)
  app.use('*', serveWeb())
  return { app, routes }
}
