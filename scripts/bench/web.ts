// npm run bench:web — the web UI against a hub holding 100,000 findings: built JS gzipped,
// time to first render of the findings page (navigation start → rows on screen, in
// Chromium), and how long a new finding written by an agent takes to appear in an open page
// (agent write → mesh → hub → /sync → refetch → row in the DOM). Targets: ≤ 150 KiB, ≤ 1 s,
// ≤ 500 ms. The browser comes through an authenticating proxy, so /sync is live as with a
// session cookie.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { CHROMIUM, authProxy, buildWeb, sampleFinding, startWebHub, until } from '../../test/web-hub.ts'

const N = Number(process.env.N ?? 100_000)
const BATCH = 2000
const out = (line: string) => process.stdout.write(line + '\n')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

// 1. The build.
let t = performance.now()
await buildWeb()
const dist = join(import.meta.dirname, '../../web/dist/assets')
let js = 0
let raw = 0
for (const f of await readdir(dist)) if (f.endsWith('.js')) { const b = await readFile(join(dist, f)); raw += b.length; js += gzipSync(b, { level: 9 }).length }
out(`build: ${(performance.now() - t).toFixed(0)} ms; JS ${(raw / 1024).toFixed(1)} KiB, gzipped ${(js / 1024).toFixed(1)} KiB (target ≤ 150 KiB)`)

// 2. A hub with N findings from one agent.
const web = await startWebHub(['acme'])
const proxy = await authProxy(web.hub.url, web.token)
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
try {
  const agent = await web.agent('acme', 'build-01')
  t = performance.now()
  for (let i = 0; i < N; i += BATCH) await agent.write(Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => sampleFinding(i + k)))
  const open = async () => {
    const res = await fetch(`${web.hub.url}/api/v1/tenants/acme/summary`, { headers: { authorization: `Bearer ${web.token}` } })
    const s = (await res.json()) as { counts: { severity: Record<string, number> } }
    return Object.values(s.counts.severity).reduce((a, b) => a + b, 0)
  }
  await until(async () => (await open()) >= N, 600_000, `${N} findings indexed`)
  out(`hub: ${N} findings written, synced and indexed in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  // Measured at the hub's steady state, not while it finishes the bulk load.
  await new Promise((r) => setTimeout(r, 5000))

  // 3. Time to first render of the findings page: navigation start → the first rows in the DOM.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const rowsShown = () => page.waitForFunction(() => {
    const table = document.querySelector('zt-app')?.shadowRoot?.querySelector('zt-findings-page')?.shadowRoot?.querySelector('zt-findings-table')
    return (table?.shadowRoot?.querySelectorAll('.row').length ?? 0) > 0 ? performance.now() : false
  }, undefined, { polling: 'raf', timeout: 30_000 })
  const renders: number[] = []
  for (let i = 0; i < 5; i++) {
    await page.goto(`${proxy.url}/t/acme/findings${i % 2 ? '?severity=high' : ''}`)
    renders.push(await (await rowsShown()).jsonValue() as number)
  }
  out(`findings page, first render with ${N} findings: cold ${renders[0]!.toFixed(0)} ms, median of 5 ${median(renders).toFixed(0)} ms (target ≤ 1000 ms); each: ${renders.map((x) => x.toFixed(0)).join(', ')} ms (odd runs filter severity=high)`)

  // 4. A new finding to an open page (newest first, so it lands on the first page).
  await page.goto(`${proxy.url}/t/acme/findings?sort=first`)
  await rowsShown()
  await until(async () => (await page.locator('zt-live-banner').getAttribute('state')) === 'live', 10_000, 'a live socket')
  const lags: number[] = []
  for (let i = 0; i < 7; i++) {
    const f = sampleFinding(N + 10 + i, { title: `fresh ${i}`, firstSeen: Date.now() })
    const seen = page.waitForFunction((id) => {
      const table = document.querySelector('zt-app')?.shadowRoot?.querySelector('zt-findings-page')?.shadowRoot?.querySelector('zt-findings-table')
      return !!table?.shadowRoot?.querySelector(`.row[data-id="${id}"]`)
    }, f.id, { polling: 'raf', timeout: 30_000 })
    const started = performance.now()
    await agent.write([f])
    await seen
    lags.push(performance.now() - started)
    await new Promise((r) => setTimeout(r, 300))
  }
  out(`new finding → open page: median ${median(lags).toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms over ${lags.length} (target ≤ 500 ms); each: ${lags.map((x) => x.toFixed(0)).join(', ')} ms`)
  await context.close()
} finally {
  await browser.close()
  await proxy.close()
  await web.close()
}
// Handles left by libraries (libp2p timers, a browser's pipes) would keep the process up once
// the figures are out; children are killed on exit (sync-setup.ts, playwright).
process.exit(process.exitCode ?? 0)
