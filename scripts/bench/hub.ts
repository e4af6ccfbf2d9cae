// npm run bench:hub — the hub's findings API with 1,000,000 findings from 1,000 agents in its
// store: `GET /api/v1/tenants/acme/findings?limit=50&severity=high` under load from a second
// process (autocannon), side by side with a bare Hono route (same framework, same server)
// returning the same bytes. Prints p50/p95/p99 latency and req/s, and the index build rate.
// The index is filled the way envelopes fill it (FindingsIndex.update per agent doc, risk from
// the hub's enricher), then the real hub process (`zt hub start`) serves it, measured once its
// start-up enrichment (a re-score of every row against its DB's generation) is done.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as Y from 'yjs'
import { createTenantRoot } from '../../keys/index.ts'
import { FINDINGS, findingsDoc, type Finding } from '../../crdt/index.ts'
import { FindingsIndex, HubStore, createEnricher, hubDbDir, openHubDb, scoreOf } from '../../hub/index.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const AGENTS = Number(process.env.AGENTS ?? 1000)
const PER_AGENT = Number(process.env.PER_AGENT ?? 1000)
const DURATION = Number(process.env.DURATION ?? 10)
const PASS = 'bench-hub-passphrase'
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const

const home = await mkdtemp(join(tmpdir(), 'zt-bench-hub-'))
const children: ChildProcess[] = []
const node = process.execPath

try {
  await createTenantRoot(home, 'acme', PASS)
  // 1. 1,000,000 findings from 1,000 agents into the hub's index.
  const store = await HubStore.open(join(home, 'hub'))
  const hubDb = await openHubDb(hubDbDir(join(home, 'hub')))
  const enricher = createEnricher(hubDb)
  const index = await FindingsIndex.open(store.tenant('acme').index, { score: async (fs) => (await enricher.enrich(fs)).map(scoreOf) })
  let t = performance.now()
  for (let a = 0; a < AGENTS; a++) {
    const agent = `12D3KooWBench${String(a).padStart(6, '0')}${'x'.repeat(33)}`
    const doc = new Y.Doc()
    const map = doc.getMap<Finding>(FINDINGS)
    doc.transact(() => {
      for (let i = 0; i < PER_AGENT; i++) {
        const n = a * PER_AGENT + i
        map.set(n.toString(16).padStart(32, '0'), {
          id: n.toString(16).padStart(32, '0'), kind: n % 11 === 0 ? 'secret' : 'vuln', rule: `GHSA-${(n % 5000).toString(36)}-xxxx`, severity: SEVERITIES[n % 4]!, score: (n % 100) / 10,
          ecosystem: n % 3 ? 'npm' : 'PyPI', package: `pkg-${n % 20_000}`, version: `1.${n % 40}.0`, fixedIn: [`1.${n % 40}.1`], path: `svc-${n % 50}/package-lock.json`, firstSeen: 1_700_000_000_000 + n,
        })
      }
    })
    await index.update(findingsDoc(agent), doc)
    doc.destroy()
  }
  const indexMs = performance.now() - t
  await store.close()
  await hubDb.close()
  const total = AGENTS * PER_AGENT
  console.log(`index: ${total.toLocaleString('en-US')} findings from ${AGENTS} agents in ${(indexMs / 1000).toFixed(1)} s = ${Math.round(total / (indexMs / 1000)).toLocaleString('en-US')} findings/s`)

  // 2. The real hub process on that store.
  const hub = spawn(node, [join(ROOT, 'bin/zt.js'), 'hub', 'start', '--listen', '/ip4/127.0.0.1/tcp/0', '--http', '0'], { env: { ...process.env, ZT_HOME: home, ZT_PASSPHRASE: PASS }, stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(hub)
  const url = await new Promise<string>((done, fail) => {
    let out = ''
    hub.stdout!.on('data', (d) => { out += d; const m = /^http (\S+)/m.exec(out); if (m) done(m[1]!) })
    hub.on('exit', (code) => fail(new Error(`hub exited ${code}`)))
  })
  const token = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
  // Start-up enrichment (re-match marks, a re-score of every row) runs in the background: wait it out.
  t = performance.now()
  for (;;) {
    const m = await (await fetch(url + '/metrics', { headers: { authorization: `Bearer ${token}` } })).text()
    if (/^zerotrace_enrichment_queue_depth 0$/m.test(m)) break
    await new Promise((r) => setTimeout(r, 500))
  }
  console.log(`hub start-up enrichment (re-score of ${(AGENTS * PER_AGENT).toLocaleString('en-US')} rows) done in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  const path = '/api/v1/tenants/acme/findings?limit=50&severity=high'
  const sample = await (await fetch(url + path, { headers: { authorization: `Bearer ${token}` } })).text()
  const rss = Number((await readFile(`/proc/${hub.pid}/status`, 'utf8')).match(/VmRSS:\s+(\d+)/)![1]) / 1024

  // 3. The baseline: a bare Hono route on @hono/node-server returning the same bytes.
  const bare = spawn(node, ['--input-type=module', '-e', `
    import { Hono } from 'hono'; import { serve } from '@hono/node-server'
    const body = ${JSON.stringify(sample)}
    const app = new Hono(); app.get('*', (c) => c.body(body, 200, { 'content-type': 'application/json' }))
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (i) => console.log('http://127.0.0.1:' + i.port))`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(bare)
  const bareUrl = await new Promise<string>((done) => bare.stdout!.once('data', (d) => done(String(d).trim())))

  const load = (target: string, headers: Record<string, string>) => new Promise<{ p50: number, p95: number, p99: number, rps: number, errors: number }>((done, fail) => {
    const args = [join(ROOT, 'node_modules/autocannon/autocannon.js'), '-c', '10', '-d', String(DURATION), '-j', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), target]
    const p = spawn(node, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', (d) => { out += d })
    p.on('exit', () => {
      try {
        const r = JSON.parse(out) as { latency: { p50: number, p97_5: number, p99: number, p90: number }, requests: { average: number }, non2xx: number, errors: number, latency_percentiles?: unknown }
        const lat = r.latency as unknown as Record<string, number>
        done({ p50: lat.p50!, p95: lat.p95 ?? lat.p97_5!, p99: lat.p99!, rps: r.requests.average, errors: r.errors + r.non2xx })
      } catch (err) { fail(err as Error) }
    })
  })
  // Distinct queries (each misses the page cache): one at a time, timed end to end.
  const times: number[] = []
  for (let i = 0; i < 500; i++) {
    const q = `/api/v1/tenants/acme/findings?limit=50&severity=${SEVERITIES[i % 4]}&package=pkg-${(i * 37) % 20_000}`
    const t0 = performance.now()
    await (await fetch(url + q, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(1)
  const ours = await load(url + path, { authorization: `Bearer ${token}` })
  const base = await load(bareUrl + path, {})
  console.log(`hub RSS with the index open: ${rss.toFixed(0)} MB`)
  console.log('| route | p50 ms | p95 ms | p99 ms | req/s | errors |')
  console.log('|---|---|---|---|---|---|')
  console.log(`| hub: GET findings?limit=50&severity=high | ${ours.p50} | ${ours.p95} | ${ours.p99} | ${Math.round(ours.rps)} | ${ours.errors} |`)
  console.log(`| bare Hono route, same bytes | ${base.p50} | ${base.p95} | ${base.p99} | ${Math.round(base.rps)} | ${base.errors} |`)
  console.log(`ratio of req/s: ${(ours.rps / base.rps).toFixed(2)} (target ≥ 0.5); p95 ${ours.p95} ms (target ≤ 20 ms)`)
  console.log(`500 distinct queries (severity + package, each a page-cache miss), one at a time: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, p99 ${pct(0.99)} ms`)
} finally {
  for (const c of children) c.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 500))
  await rm(home, { recursive: true, force: true })
}
