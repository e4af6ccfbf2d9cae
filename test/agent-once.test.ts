// `zt agent run --once --hub …` as a CI job or cron would run it: one scan, and the process
// exits only once the hub holds what it wrote (or says it could not within its wait).
import { describe, it, expect } from 'vitest'
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findingsDoc, inventoryDoc } from '../crdt/index.ts'
import { createTenantRoot } from '../keys/index.ts'
import { startHub } from '../hub/index.ts'
import { AgentStore } from '../node/index.ts'
import { ZEROTRACE_VERSION } from '../protocol/index.ts'
import { ROOT, zt } from './zt-processes.ts'

const PASS = 'agent-once-test-passphrase'

describe('zt agent run --once with a hub', () => {
  it('exits after the hub acked the scan: the hub holds every envelope the agent wrote', async () => {
    const home = await mkdtemp(join(tmpdir(), 'zt-once-'))
    const env = { ZT_HOME: home, ZT_PASSPHRASE: PASS }
    await createTenantRoot(home, 'acme', PASS)
    const hub = await startHub({ home, passphrase: PASS, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0 })
    try {
      const data = join(home, 'agent')
      const tree = join(home, 'tree')
      await cp(join(ROOT, 'scripts/demo/tree'), tree, { recursive: true })
      const init = await zt(['agent', 'init', '--data', data], env)
      const id = init.stdout.trim()
      expect((await zt(['keys', 'sign-agent', '--tenant', 'acme', '--agent', id, '--name', 'ci-01', '--out', join(data, 'agent.cert')], env)).code).toBe(0)
      const run = await zt(['agent', 'run', '--data', data, '--scan', tree, '--once', '--hub', hub.multiaddrs()[0]!], env)
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).toContain('the hub holds everything this agent wrote')
      // Right at exit, with nothing waited for here: both docs are at the hub, up to the agent's head.
      const log = hub.tenants.get('acme')!.replica.log
      const findingsHead = (await log.head(findingsDoc(id), id))?.seq ?? 0
      const inventoryHead = (await log.head(inventoryDoc(id), id))?.seq ?? 0
      expect(findingsHead).toBeGreaterThan(0)
      expect(inventoryHead).toBeGreaterThan(0)
      // The hub lists it with its last scan and its ZeroTrace version (from the signed scan record).
      const token = (await readFile(join(home, 'operator.token'), 'utf8')).trim()
      let listed: { id: string, lastScan?: string, version?: string } | undefined
      for (let i = 0; i < 100 && !listed?.version; i++) {
        const res = await fetch(`${hub.url}/api/v1/tenants/acme/agents`, { headers: { authorization: `Bearer ${token}` } })
        listed = ((await res.json()) as { agents: { id: string, lastScan?: string, version?: string }[] }).agents.find((a) => a.id === id)
        if (!listed?.version) await new Promise((r) => setTimeout(r, 20))
      }
      expect(listed).toMatchObject({ version: ZEROTRACE_VERSION, lastScan: expect.stringMatching(/^\d{4}-/) })
      const store = await AgentStore.open(data)
      try {
        expect(findingsHead).toBe((await store.log.head(findingsDoc(id), id))!.seq)
        expect(inventoryHead).toBe((await store.log.head(inventoryDoc(id), id))!.seq)
      } finally {
        await store.close()
      }
    } finally {
      await hub.stop()
      await rm(home, { recursive: true, force: true })
    }
  })
})
