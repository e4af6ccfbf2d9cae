// A tenant's webhooks (admins): create (the signing secret is shown once), list, remove,
// and each hook's delivery log.
import { apiError } from '../api/errors.ts'
import type { Routes } from '../api/route.ts'
import type { TenantState } from '../hub.ts'
import { isSeverityName, WEBHOOK_EVENTS, type WebhookEvent } from '../webhooks/webhooks.ts'

export function webhookRoutes(routes: Routes, tenantOf: (name: string) => TenantState): void {
  routes.add('GET', '/tenants/:tenant/webhooks', { kind: 'tenant', role: 'admin' }, 'webhooks of a tenant (secrets are never shown again)', (c) => {
    return c.json({ webhooks: tenantOf(c.req.param('tenant')!).webhooks.list() })
  })

  routes.add('POST', '/tenants/:tenant/webhooks', { kind: 'tenant', role: 'admin' }, 'add a webhook {url, events, minSeverity}; answers with its signing secret, once', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const body = await c.req.json().catch(() => undefined) as { url?: unknown, events?: unknown, minSeverity?: unknown } | undefined
    let url: URL | undefined
    try { url = new URL(String(body?.url)) } catch { url = undefined }
    if (!url || !['http:', 'https:'].includes(url.protocol) || String(body?.url).length > 2048) apiError(400, 'bad-request', 'url: an http(s) URL')
    const events = body?.events
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => (WEBHOOK_EVENTS as readonly unknown[]).includes(e))) apiError(400, 'bad-request', `events: some of ${WEBHOOK_EVENTS.join(', ')}`)
    const minSeverity = body?.minSeverity ?? 'low'
    if (!isSeverityName(minSeverity)) apiError(400, 'bad-request', 'minSeverity: critical, high, medium, low or unknown')
    if (t.webhooks.list().length >= 20) apiError(409, 'too-many', 'at most 20 webhooks per tenant')
    const hook = await t.webhooks.create(url!.toString(), events as WebhookEvent[], minSeverity)
    return c.json({ webhook: hook }, 201 as never)
  })

  routes.add('DELETE', '/tenants/:tenant/webhooks/:id', { kind: 'tenant', role: 'admin' }, 'remove a webhook', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    if (!(await t.webhooks.remove(c.req.param('id')!))) apiError(404, 'not-found', 'no such webhook')
    return c.json({ removed: c.req.param('id') })
  })

  routes.add('GET', '/tenants/:tenant/webhooks/:id/deliveries', { kind: 'tenant', role: 'admin' }, 'a webhook\'s latest deliveries: attempts, status, response', async (c) => {
    const t = tenantOf(c.req.param('tenant')!)
    const id = c.req.param('id')!
    if (!t.webhooks.has(id)) apiError(404, 'not-found', 'no such webhook')
    return c.json({ deliveries: await t.webhooks.deliveries(id) })
  })
}
