// The hub hands its advisories to agents over the mesh: an agent started with no advisory
// DB (secrets only) gets the hub's signed updates, imports them, rescans, and its
// vulnerability findings reach the hub.
import { describe, it, expect } from 'vitest'
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, start, stop, until, zt } from './zt-processes.ts'

describe('advisories from the hub', () => {
  it('reach an agent with no advisory DB, which then finds the vulnerable packages', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-feed-'))
    const env = { ZT_HOME: join(dir, 'home'), ZT_PASSPHRASE: 'feed-test-passphrase' }
    try {
      expect((await zt(['tenant', 'create', 'acme'], env)).code).toBe(0)
      const data = join(dir, 'agent')
      const tree = join(dir, 'tree')
      await cp(join(ROOT, 'scripts/demo/tree'), tree, { recursive: true })
      const id = (await zt(['agent', 'init', '--data', data], env)).stdout.trim()
      expect((await zt(['keys', 'sign-agent', '--tenant', 'acme', '--agent', id, '--name', 'build-01', '--out', join(data, 'agent.cert')], env)).code).toBe(0)
      const hub = await start(['hub', 'start', '--listen', '/ip4/127.0.0.1/tcp/0', '--http', '0'], env, /^http /m)
      const hubAddr = /^libp2p (\S+)/m.exec(hub.stdout())![1]!
      const url = /^http (\S+)/m.exec(hub.stdout())![1]!
      const agent = await start(['agent', 'run', '--data', data, '--scan', tree, '--interval', '1h', '--hub', hubAddr], env, /running; next scan/)
      const findings = async (args: string[]) => { const r = await zt([...args, '--json'], env); return r.code === 0 ? (JSON.parse(r.stdout) as { kind: string }[]) : [] }
      await until('the secrets at the hub', async () => (await findings(['hub', 'findings', '--tenant', 'acme'])).length === 2)
      expect((await findings(['agent', 'findings', '--data', data])).every((f) => f.kind === 'secret')).toBe(true)

      const token = (await readFile(join(env.ZT_HOME, 'operator.token'), 'utf8')).trim()
      const records = await readFile(join(ROOT, 'scripts/demo/advisories.jsonl'), 'utf8')
      const res = await fetch(`${url}/api/v1/advisories`, { method: 'POST', body: records, headers: { authorization: `Bearer ${token}` } })
      expect(await res.json()).toMatchObject({ records: 6, updates: 1, imported: { added: 6, invalid: 0 } })
      await until('the agent imported them and rescanned', async () => (await findings(['agent', 'findings', '--data', data])).length === 9)
      await until('its vulnerability findings at the hub', async () => (await findings(['hub', 'findings', '--tenant', 'acme'])).filter((f) => f.kind === 'vuln').length === 7)
      expect(agent.stderr()).toMatch(/advisories: update 1 from hub \S+: 6 added/)
      // The hub's own DB has them too: a finding's detail carries the advisory and its scores.
      const vuln = (await findings(['hub', 'findings', '--tenant', 'acme'])).find((f) => f.kind === 'vuln') as unknown as { id: string, rule: string }
      const detail = await (await fetch(`${url}/api/v1/tenants/acme/findings/${vuln.id}`, { headers: { authorization: `Bearer ${token}` } })).json() as { advisory: { id: string, summary?: string }, enrichment: { risk: number, cvss?: { score: number } } }
      expect(detail.advisory.id).toBe(vuln.rule)
      expect(detail.enrichment.risk).toBeGreaterThan(0)
      const db = JSON.parse((await zt(['db', 'status', '--db', join(data, 'db'), '--json'], env)).stdout) as { total: number }
      expect(db.total).toBe(6)
      for (const p of [agent, hub]) await stop(p)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
