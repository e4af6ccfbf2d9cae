// The web UI end to end: the built app served by a real hub (in-process, fed by test agents
// over the mesh), driven in Debian's Chromium by playwright-core. Screenshots of each page
// go to test-results/web/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM, authProxy, buildWeb, sampleFinding, startWebHub, until, type WebHub } from './web-hub.ts'
import type { TestAgent } from '../hub/hub.test-data.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { checkCertificate, parseArmoredCertificate, readTenantPublicKey } from '../keys/index.ts'

const SHOTS = join(import.meta.dirname, '../test-results/web')
const XSS = '<img src=x onerror=alert(1)>'
// CI installs Chromium (.ci/run); elsewhere the test says it was skipped rather than fail.
const haveBrowser = existsSync(CHROMIUM) || !!process.env.CI

let web: WebHub
let proxy: Awaited<ReturnType<typeof authProxy>>
let browser: Browser
let build01: TestAgent
let laptop: TestAgent
const findings = Array.from({ length: 60 }, (_, i) => sampleFinding(i))
const xssFinding = sampleFinding(1000, { title: XSS, severity: 'critical', score: 10, kind: 'vuln', package: 'evil-pkg', ecosystem: 'npm', version: '0.0.1', rule: 'GHSA-xss0-test' })
const problems: string[] = []
const PASSWORD = 'correct horse battery staple'

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(web.hub.url + '/api/v1' + path, { headers: { authorization: `Bearer ${web.token}` } })
  expect(res.status).toBe(200)
  return (await res.json()) as T
}

async function signedIn(options: Parameters<Browser['newContext']>[0] = {}, user = 'ana'): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options })
  context.setDefaultTimeout(8000)
  const page = await context.newPage()
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss() })
  page.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(`console: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  await page.goto(web.hub.url + '/')
  await page.waitForURL(/\/login$/)
  await page.getByLabel('User name').fill(user)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/t\/acme\/overview$/)
  return { context, page }
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })

/** Form controls, through every shadow root, that have no accessible name (a label, aria-label or aria-labelledby). */
const unlabelled = (page: Page) => page.evaluate(() => {
  const out: string[] = []
  const walk = (root: Document | ShadowRoot) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot)
      if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) || (el instanceof HTMLInputElement && el.type === 'hidden')) continue
      if (!el.labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) out.push(el.outerHTML.slice(0, 80))
    }
  }
  walk(document)
  return out
})

/** The element focus is on, through shadow roots: its tag, text and outline. */
const focused = (page: Page) => page.evaluate(() => {
  let el = document.activeElement
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
  const style = el ? getComputedStyle(el) : undefined
  return { tag: el?.tagName.toLowerCase(), text: el?.textContent?.trim().slice(0, 40), outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '' }
})

describe.skipIf(!haveBrowser)('web UI in Chromium against a real hub', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true })
    await buildWeb()
    web = await startWebHub(['acme', 'globex'])
    build01 = await web.agent('acme', 'build-01')
    laptop = await web.agent('acme', 'laptop-7')
    await build01.write([...findings.slice(0, 40), xssFinding])
    await laptop.write(findings.slice(40))
    await until(async () => (await api<{ findings: unknown[] }>('/tenants/acme/findings?limit=500')).findings.length === 61, 15_000, 'findings at the hub')
    await web.hub.auth.users.create({ name: 'ana', password: PASSWORD, roles: { acme: 'admin' } })
    await web.hub.auth.users.create({ name: 'vic', password: PASSWORD, roles: { acme: 'viewer' } })
    proxy = await authProxy(web.hub.url, web.token)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await proxy?.close()
    await web?.close()
  })

  it('serves the app with its CSP, caches hashed assets, and answers deep links with the app', async () => {
    const index = await fetch(web.hub.url + '/t/acme/findings?severity=high', { headers: { accept: 'text/html' } })
    expect(index.status).toBe(200)
    expect(index.headers.get('content-security-policy')).toMatch(/^default-src 'self'; connect-src 'self' ws: wss:/)
    expect(index.headers.get('cache-control')).toBe('no-cache')
    const html = await index.text()
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!
    const asset = await fetch(web.hub.url + js, { headers: { 'accept-encoding': 'gzip' } })
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect((await fetch(web.hub.url + '/nowhere')).status).toBe(404)
    expect((await fetch(web.hub.url + '/assets/missing.js', { headers: { accept: 'text/html' } })).status).toBe(404)
    expect((await fetch(web.hub.url + '/%2e%2e/package.json')).status).toBe(404)
    expect((await fetch(web.hub.url + '/api/v1/nothing', { headers: { accept: 'text/html' } })).headers.get('content-type')).toMatch(/json/)
  })

  it('signs in with a user and password, and the overview shows the API\'s numbers', async () => {
    const { context, page } = await signedIn()
    const summary = await api<{ counts: { severity: Record<string, number>, kind: Record<string, number> }, agents: { online: number, total: number, revoked: number } }>('/tenants/acme/summary')
    for (const s of ['critical', 'high', 'medium', 'low', 'unknown']) {
      await expect.poll(() => page.locator(`[data-count="severity-${s}"] b`).textContent()).toBe(String(summary.counts.severity[s] ?? 0))
    }
    for (const k of ['vuln', 'secret', 'config']) expect(await page.locator(`[data-count="kind-${k}"] b`).textContent()).toBe(String(summary.counts.kind[k] ?? 0))
    expect(await page.locator('[data-count="agents-online"] b').textContent()).toBe(String(summary.agents.online))
    expect(summary.agents.online).toBe(2)
    await expect.poll(() => page.locator('zt-trend-chart polygon').count()).toBeGreaterThan(0)
    await shot(page, 'overview')
    await context.close()
  })

  it('filters findings on the server with the filters in the URL, keyboard navigation, and titles as text', async () => {
    const { context, page } = await signedIn()
    await page.getByRole('link', { name: 'Findings' }).click()
    await page.waitForURL(/\/findings/)
    await expect.poll(() => page.locator('zt-findings-table .row').count()).toBeGreaterThan(10)
    // The XSS title is characters on the page, not an element.
    const xssRow = page.locator(`.row[data-id="${xssFinding.id}"] .title`)
    expect(await xssRow.textContent()).toBe(XSS)
    expect(await page.locator('zt-findings-table img').count()).toBe(0)
    await shot(page, 'findings')

    await page.getByLabel('Severity', { exact: true }).selectOption('high')
    await page.waitForURL(/severity=high/)
    const high = (await api<{ findings: { id: string, severity: string }[] }>('/tenants/acme/findings?severity=high&limit=500')).findings
    await expect.poll(async () => (await page.locator('zt-findings-table .row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).join()).toBe(high.map((f) => f.id).join())
    // The URL is the view: reloading it shows the same filter.
    await page.reload()
    await expect.poll(() => page.locator('zt-findings-table .row').count()).toBe(high.length)
    expect(await page.getByLabel('Severity', { exact: true }).inputValue()).toBe('high')

    // Keyboard: focus the list, move down, open with Enter, close with Escape.
    await page.locator('zt-findings-table .viewport').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`finding=${high[1]!.id}`))
    await expect.poll(() => page.locator('zt-finding-detail .title').count()).toBe(1)
    await page.keyboard.press('Escape')
    await page.waitForURL((u) => !u.search.includes('finding='))

    // Free text.
    await page.getByLabel('Severity', { exact: true }).selectOption('')
    await page.getByLabel('Search').fill('evil-pkg')
    await page.waitForURL(/q=evil-pkg/)
    await expect.poll(() => page.locator('zt-findings-table .row').count()).toBe(1)
    await page.locator(`.row[data-id="${xssFinding.id}"]`).click()
    await expect.poll(() => page.locator('zt-finding-detail h2.title').textContent()).toBe(XSS)
    expect(await page.locator('zt-finding-detail img').count()).toBe(0)
    await shot(page, 'finding-detail')
    await context.close()
  })

  it('triages a finding in one browser and the other sees it without reloading', async () => {
    const target = findings[0]!
    const url = `${web.hub.url}/t/acme/findings?finding=${target.id}`
    const a = await signedIn()
    // B comes through an authenticating proxy: signed in without a login page, and live over /sync.
    const bContext = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    bContext.setDefaultTimeout(8000)
    const b = { context: bContext, page: await bContext.newPage() }
    b.page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    await b.page.goto(url.replace(web.hub.url, proxy.url))
    await expect.poll(() => b.page.locator('zt-finding-detail [data-triage]').getAttribute('data-triage')).toBe('open')
    await a.page.goto(url)
    await a.page.getByRole('button', { name: 'Acknowledge' }).click()
    await expect.poll(() => a.page.locator('zt-finding-detail [data-triage]').getAttribute('data-triage')).toBe('acknowledged')
    expect((await api<{ triage: { status: string } }>(`/tenants/acme/findings/${target.id}`)).triage.status).toBe('acknowledged')
    // B: live (or, with a token the socket cannot carry, on its refresh timer).
    await expect.poll(() => b.page.locator('zt-finding-detail [data-triage]').getAttribute('data-triage'), { timeout: 15_000 }).toBe('acknowledged')
    await expect.poll(() => b.page.locator(`.row[data-id="${target.id}"] > span:last-child`).textContent(), { timeout: 15_000 }).toBe('acknowledged')
    // A new finding from an agent shows up in an open page.
    const fresh = sampleFinding(5000, { title: 'Fresh finding from build-01', severity: 'critical' })
    await b.page.goto(`${proxy.url}/t/acme/findings?severity=critical`)
    await expect.poll(() => b.page.locator('zt-findings-table .row').count()).toBeGreaterThan(0)
    // The findings docs are live (the hub does not serve the triage doc over /sync yet: polled).
    await expect.poll(() => b.page.locator('zt-live-banner').getAttribute('state')).toBe('live')
    const started = Date.now()
    await build01.write([fresh])
    await expect.poll(() => b.page.locator(`.row[data-id="${fresh.id}"]`).count(), { timeout: 15_000 }).toBe(1)
    // Well inside the 5 s refresh timer: it came over the socket.
    expect(Date.now() - started).toBeLessThan(4000)
    await a.context.close()
    await b.context.close()
  })

  it('shows an agent\'s page from the agents list: status, its open findings, inventory', async () => {
    const { context, page } = await signedIn()
    await page.getByRole('link', { name: 'Agents' }).click()
    await page.locator(`tr[data-agent="${build01.peerId}"] a`).first().click()
    await page.waitForURL(new RegExp(`/t/acme/agents/${build01.peerId}$`))
    await expect.poll(() => page.locator('zt-agent-page h1').textContent()).toBe('build-01')
    expect(await page.locator('zt-agent-page [data-state]').getAttribute('data-state')).toBe('online')
    const open = (await api<{ findings: { agent: string }[] }>(`/tenants/acme/findings?agent=${build01.peerId}&limit=500`)).findings
    expect(open.length).toBeGreaterThan(30)
    await expect.poll(() => page.locator('zt-agent-page #findings-h').textContent()).toMatch(new RegExp(`· ${Math.min(open.length, 100)}`))
    await expect.poll(() => page.locator('zt-agent-page zt-findings-table .row').count()).toBeGreaterThan(3)
    expect(await page.locator('zt-agent-page').getByText('This agent has sent no inventory.').count()).toBe(1)
    expect(await unlabelled(page)).toEqual([])
    await shot(page, 'agent-detail')
    // A finding opens on the findings page, its evidence chain names the agent that signed it.
    await page.locator(`zt-agent-page .row[data-id="${xssFinding.id}"]`).click()
    await page.waitForURL(new RegExp(`finding=${xssFinding.id}`))
    await expect.poll(() => page.locator('zt-finding-detail [data-envelope]').count()).toBeGreaterThan(0)
    expect(await page.locator('zt-finding-detail [data-envelope] a').first().textContent()).toBe(build01.peerId)
    expect(await page.locator('zt-finding-detail h2.title').textContent()).toBe(XSS)
    await shot(page, 'finding-detail-evidence')
    await context.close()
  })

  it('keys and users (admin): signs an agent from its id and shows the certificate to copy; tokens shown once', async () => {
    const { context, page } = await signedIn()
    // Keyboard first: the skip link, with a visible focus ring.
    await page.keyboard.press('Tab')
    const first = await focused(page)
    expect(first).toMatchObject({ tag: 'a', text: 'Skip to content' })
    expect(first.outline).toMatch(/^solid [1-9]/)
    await page.getByRole('link', { name: 'Keys and users' }).click()
    await page.waitForURL(/\/t\/acme\/keys$/)
    await expect.poll(() => page.locator('zt-keys-page [data-crl-version]').count()).toBe(1)
    const agentId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    await page.getByLabel(/Agent id/).fill(agentId)
    await page.getByLabel('Name', { exact: true }).fill('ci-runner-3')
    await page.getByLabel('relay').check()
    await page.getByRole('button', { name: 'Sign the agent' }).click()
    const armored = await (async () => { await expect.poll(() => page.locator('zt-sign-agent [data-armored]').inputValue()).toMatch(/BEGIN ZEROTRACE CERTIFICATE/); return page.locator('zt-sign-agent [data-armored]').inputValue() })()
    const check = checkCertificate(parseArmoredCertificate(armored), { tenant: 'acme', rootPublicKey: await readTenantPublicKey(web.home, 'acme'), now: Date.now() })
    expect(check.ok && { subject: check.body.subject, name: check.body.name, roles: check.body.roles }).toEqual({ subject: agentId, name: 'ci-runner-3', roles: ['agent', 'relay'] })
    // Focus moved to the certificate; the list of issued certificates has it.
    expect((await focused(page)).tag).toBe('textarea')
    await expect.poll(() => page.locator(`zt-keys-page [data-certificates] tr:has-text("${agentId}")`).count()).toBe(1)
    await shot(page, 'keys-signed')
    await page.getByLabel('New token name').fill('e2e-token')
    await page.getByRole('button', { name: 'Make a token' }).click()
    const token = await (async () => { await expect.poll(() => page.locator('zt-api-tokens [data-made] input').inputValue()).toMatch(/.{20,}/); return page.locator('zt-api-tokens [data-made] input').inputValue() })()
    expect((await fetch(web.hub.url + '/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    expect(await unlabelled(page)).toEqual([])
    await shot(page, 'keys-token')
    await context.close()
  })

  it('hides keys and users from a viewer, and the API refuses them', async () => {
    const { context, page } = await signedIn({}, 'vic')
    expect(await page.getByRole('link', { name: 'Agents' }).count()).toBe(1)
    expect(await page.getByRole('link', { name: 'Keys and users' }).count()).toBe(0)
    await page.goto(`${web.hub.url}/t/acme/keys`)
    await expect.poll(() => page.locator('zt-app [role=alert]').textContent()).toMatch(/admins/)
    // The same session asking the API directly.
    expect((await page.request.get(`${web.hub.url}/api/v1/tenants/acme/certificates`)).status()).toBe(403)
    await context.close()
  })

  it('revokes an agent after a confirmation and shows it flagged', async () => {
    const { context, page } = await signedIn()
    await page.getByRole('link', { name: 'Agents' }).click()
    const row = page.locator(`tr[data-agent="${laptop.peerId}"]`)
    await expect.poll(() => row.locator('[data-state]').getAttribute('data-state')).toBe('online')
    await shot(page, 'agents')
    await row.getByRole('button', { name: 'Revoke…' }).click()
    await page.getByLabel(/Reason/).fill('laptop lost')
    await shot(page, 'agents-revoke-confirm')
    await page.getByRole('button', { name: 'Revoke the agent' }).click()
    await expect.poll(() => row.locator('[data-state]').getAttribute('data-state')).toBe('revoked')
    const agents = (await api<{ agents: { id: string, revoked: boolean }[] }>('/tenants/acme/agents')).agents
    expect(agents.find((x) => x.id === laptop.peerId)).toMatchObject({ revoked: true })
    expect(agents.find((x) => x.id === build01.peerId)).toMatchObject({ revoked: false })
    await shot(page, 'agents-revoked')
    await context.close()
  })

  it('offers the reports as downloads with the current filters', async () => {
    const { context, page } = await signedIn()
    await page.goto(`${web.hub.url}/t/acme/reports?severity=critical`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-format="csv"]').click()])
    expect(download.suggestedFilename()).toMatch(/^zerotrace-acme-\d{4}-\d{2}-\d{2}\.csv$/)
    await shot(page, 'reports')
    await context.close()
  })

  it('is usable at phone width and in the dark theme', async () => {
    const { context, page } = await signedIn({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true })
    await shot(page, 'phone-overview-dark')
    await page.goto(`${web.hub.url}/t/acme/findings?finding=${findings[2]!.id}`)
    await expect.poll(() => page.locator('zt-finding-detail h2.title').count()).toBe(1)
    const box = await page.locator('zt-finding-detail').boundingBox()
    expect(box!.width).toBeLessThanOrEqual(390)
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(bg).toBe('rgb(15, 18, 23)')
    await shot(page, 'phone-finding-dark')
    await context.close()
  })

  it('logged no CSP violation, page error or alert', () => {
    expect(problems.filter((p) => !/status of 404|status of 401/.test(p))).toEqual([])
  })
})
