// Webhooks of a tenant: where to POST which events (finding.new at or above a severity,
// agent.offline, agent.revoked), each body signed with HMAC-SHA256 under the hook's secret,
// retried with exponential backoff, and every attempt kept in a delivery log. Pending
// deliveries live in LevelDB, so a restart resumes them (at least once).
import { createHmac, randomBytes } from 'node:crypto'
import { SEVERITIES, severityRank, type Severity, type Store } from '../../crdt/index.ts'
import { pack, unpack } from '../../protocol/index.ts'

export const WEBHOOK_EVENTS = ['finding.new', 'agent.offline', 'agent.revoked'] as const
export type WebhookEvent = typeof WEBHOOK_EVENTS[number]

export interface Webhook { id: string, url: string, events: WebhookEvent[], minSeverity: Severity, secret: string, createdAt: number }
export interface Delivery { id: string, hook: string, event: WebhookEvent, at: number, attempts: number, status: 'pending' | 'delivered' | 'failed', responseStatus?: number, error?: string, nextAt?: number }

interface Pending { delivery: Delivery, body: string }

/** Retry after 1 s, 2 s, 4 s … for this many attempts in all. */
export const MAX_ATTEMPTS = 6
const LOG_KEEP = 200

export function signBody(secret: string, timestamp: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
}

export interface WebhooksInit {
  db: Store
  tenant: string
  /** First retry delay (tests shorten it). */
  baseDelayMs?: number
  timeoutMs?: number
  fetch?: typeof fetch
  log?: (line: string) => void
}

export class Webhooks {
  readonly #db: Store
  readonly #tenant: string
  readonly #base: number
  readonly #timeout: number
  readonly #fetch: typeof fetch
  readonly #log: (line: string) => void
  readonly #hooks = new Map<string, Webhook>()
  #timer: NodeJS.Timeout | undefined
  #running = false
  #again = false
  #closed = false

  private constructor(init: WebhooksInit) {
    this.#db = init.db
    this.#tenant = init.tenant
    this.#base = init.baseDelayMs ?? 1000
    this.#timeout = init.timeoutMs ?? 10_000
    this.#fetch = init.fetch ?? fetch
    this.#log = init.log ?? (() => {})
  }

  static async open(init: WebhooksInit): Promise<Webhooks> {
    const w = new Webhooks(init)
    for await (const v of w.#db.values({ gte: 'h!', lt: 'h"' })) { const h = unpack(v) as Webhook; w.#hooks.set(h.id, h) }
    w.#schedule(0)
    return w
  }

  list(): Omit<Webhook, 'secret'>[] {
    return [...this.#hooks.values()].map(({ secret: _, ...rest }) => rest)
  }

  async create(url: string, events: WebhookEvent[], minSeverity: Severity): Promise<Webhook> {
    const hook: Webhook = { id: randomBytes(8).toString('hex'), url, events: [...new Set(events)], minSeverity, secret: randomBytes(32).toString('base64url'), createdAt: Date.now() }
    await this.#db.put(`h!${hook.id}`, pack(hook))
    this.#hooks.set(hook.id, hook)
    return hook
  }

  async remove(id: string): Promise<boolean> {
    if (!this.#hooks.delete(id)) return false
    await this.#db.del(`h!${id}`)
    return true
  }

  has(id: string): boolean { return this.#hooks.has(id) }

  /** The latest deliveries of a hook, newest first. */
  async deliveries(hook: string, limit = 50): Promise<Delivery[]> {
    const out: Delivery[] = []
    for await (const v of this.#db.values({ gte: `d!${hook}!`, lt: `d!${hook}"`, reverse: true, limit })) out.push(unpack(v) as Delivery)
    return out
  }

  /** Queues `event` for every hook that wants it (finding.new: only findings at or above the hook's severity). */
  async emit(event: WebhookEvent, data: Record<string, unknown>, severity?: Severity): Promise<void> {
    const ops: { type: 'put', key: string, value: Uint8Array }[] = []
    for (const hook of this.#hooks.values()) {
      if (!hook.events.includes(event)) continue
      let payload = data
      if (event === 'finding.new') {
        const findings = (data.findings as { severity: Severity }[]).filter((f) => severityRank(f.severity) >= severityRank(hook.minSeverity))
        if (findings.length === 0) continue
        payload = { ...data, findings }
      } else if (severity && severityRank(severity) < severityRank(hook.minSeverity)) continue
      const at = Date.now()
      const delivery: Delivery = { id: `${at.toString(36)}-${randomBytes(4).toString('hex')}`, hook: hook.id, event, at, attempts: 0, status: 'pending', nextAt: at }
      const body = JSON.stringify({ id: delivery.id, type: event, tenant: this.#tenant, at: new Date(at).toISOString(), data: payload })
      ops.push({ type: 'put', key: `q!${delivery.id}`, value: pack({ delivery, body } satisfies Pending) })
      ops.push({ type: 'put', key: `d!${hook.id}!${delivery.id}`, value: pack(delivery) })
    }
    if (ops.length === 0) return
    await this.#db.batch(ops)
    this.#schedule(0)
  }

  #schedule(ms: number): void {
    if (this.#closed) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => { this.#drain().catch((err: Error) => this.#log(`webhooks: ${err.message}`)) }, ms)
    this.#timer.unref()
  }

  /** Sends what is due; schedules itself for the next retry. */
  async #drain(): Promise<void> {
    if (this.#closed) return
    if (this.#running) { this.#again = true; return }
    this.#running = true
    this.#again = false
    let next = Infinity
    try {
      const due: Pending[] = []
      for await (const v of this.#db.values({ gte: 'q!', lt: 'q"' })) {
        const p = unpack(v) as Pending
        if ((p.delivery.nextAt ?? 0) <= Date.now()) due.push(p)
        else next = Math.min(next, p.delivery.nextAt!)
      }
      await Promise.all(due.map(async (p) => {
        const d = await this.#attempt(p)
        if (d.status === 'pending') next = Math.min(next, d.nextAt!)
      }))
    } finally {
      this.#running = false
    }
    if (this.#again) this.#schedule(0)
    else if (next !== Infinity) this.#schedule(Math.max(0, next - Date.now()))
  }

  async #attempt(p: Pending): Promise<Delivery> {
    const hook = this.#hooks.get(p.delivery.hook)
    const d: Delivery = { ...p.delivery, attempts: p.delivery.attempts + 1 }
    if (!hook) {
      await this.#db.del(`q!${d.id}`)
      return { ...d, status: 'failed', error: 'webhook removed' }
    }
    const ts = Math.floor(Date.now() / 1000)
    try {
      const res = await this.#fetch(hook.url, {
        method: 'POST', body: p.body, redirect: 'manual', signal: AbortSignal.timeout(this.#timeout),
        headers: { 'content-type': 'application/json', 'user-agent': 'ZeroTrace-Webhooks/1', 'x-zerotrace-event': d.event, 'x-zerotrace-delivery': d.id, 'x-zerotrace-timestamp': String(ts), 'x-zerotrace-signature': signBody(hook.secret, ts, p.body) },
      })
      await res.body?.cancel().catch(() => {})
      d.responseStatus = res.status
      if (res.status >= 200 && res.status < 300) { d.status = 'delivered'; delete d.error; delete d.nextAt }
      else d.error = `HTTP ${res.status}`
    } catch (err) {
      d.error = (err as Error).name === 'TimeoutError' ? `no answer in ${this.#timeout} ms` : ((err as { cause?: Error }).cause?.message ?? (err as Error).message)
    }
    if (d.status !== 'delivered') {
      if (d.attempts >= MAX_ATTEMPTS) { d.status = 'failed'; delete d.nextAt } else d.nextAt = Date.now() + this.#base * 2 ** (d.attempts - 1)
    }
    const ops: { type: 'put' | 'del', key: string, value?: Uint8Array }[] = [{ type: 'put', key: `d!${d.hook}!${d.id}`, value: pack(d) }]
    ops.push(d.status === 'pending' ? { type: 'put', key: `q!${d.id}`, value: pack({ delivery: d, body: p.body } satisfies Pending) } : { type: 'del', key: `q!${d.id}` })
    await this.#db.batch(ops as never)
    if (d.status !== 'pending') await this.#trim(d.hook)
    return d
  }

  async #trim(hook: string): Promise<void> {
    const keys: string[] = []
    for await (const k of this.#db.keys({ gte: `d!${hook}!`, lt: `d!${hook}"`, reverse: true })) keys.push(k)
    if (keys.length > LOG_KEEP) await this.#db.batch(keys.slice(LOG_KEEP).map((key) => ({ type: 'del' as const, key })))
  }

  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
  }
}

export function isSeverityName(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s)
}
