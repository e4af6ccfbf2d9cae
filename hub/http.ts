// The hub's HTTP side, for now: /healthz, /metrics and the operator-token endpoints the
// `zt hub …` commands use. One error shape, {error: {code, message}}, from one onError.
import { timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { importBundle, BundleError } from '../mesh/index.ts'
import type { Hub } from './hub.ts'
import { hubAgents, hubFindings, isSeverity } from './queries.ts'

export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024

function fail(status: 400 | 401 | 404 | 413, code: string, message: string): never {
  throw new HTTPException(status, { res: Response.json({ error: { code, message } }, { status }) })
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function createHttpApp(hub: Hub, operatorToken: string, log: (line: string) => void): Hono {
  const app = new Hono()

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse()
    log(`http ${c.req.method} ${c.req.path}: ${err.message}`)
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500)
  })
  app.notFound((c) => c.json({ error: { code: 'not-found', message: `no route ${c.req.method} ${c.req.path}` } }, 404))

  app.get('/healthz', (c) => c.json({ status: 'ok' }))

  app.get('/metrics', (c) => {
    const lines: string[] = []
    const counters = hub.mesh.counters.snapshot()
    lines.push('# TYPE zerotrace_mesh_events_total counter')
    for (const [name, value] of Object.entries(counters)) lines.push(`zerotrace_mesh_events_total{event="${name.replace(/["\\\n]/g, '_')}"} ${value}`)
    lines.push('# TYPE zerotrace_mesh_sessions gauge', `zerotrace_mesh_sessions ${hub.mesh.sessions.size}`)
    return c.text(lines.join('\n') + '\n', 200, { 'content-type': 'text/plain; version=0.0.4' })
  })

  const api = new Hono()
  api.use('*', async (c, next) => {
    const auth = c.req.header('authorization') ?? ''
    const given = auth.startsWith('Bearer ') ? auth.slice(7).trim() : ''
    if (!given || !sameToken(given, operatorToken)) fail(401, 'unauthorized', 'an operator token is required (Authorization: Bearer …)')
    await next()
  })
  const tenantOf = (name: string) => hub.tenants.get(name) ?? fail(404, 'unknown-tenant', `tenant '${name}' is not served here`)

  api.get('/tenants/:tenant/findings', async (c) => {
    const t = tenantOf(c.req.param('tenant'))
    const severity = c.req.query('severity')
    if (severity !== undefined && !isSeverity(severity)) fail(400, 'bad-request', `severity must be critical, high, medium, low or unknown`)
    return c.json({ findings: await hubFindings(t.replica, { agent: c.req.query('agent'), severity }) })
  })

  api.get('/tenants/:tenant/agents', async (c) => {
    const t = tenantOf(c.req.param('tenant'))
    return c.json({ agents: await hubAgents(t.replica, hub.store, hub.online(t.tenant)) })
  })

  api.post('/bundles', bodyLimit({ maxSize: MAX_BUNDLE_BYTES, onError: () => fail(413, 'too-large', `a bundle is at most ${MAX_BUNDLE_BYTES} bytes`) }), async (c) => {
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
  return app
}
