// The mesh as users run it: `zt hub start` and three `zt agent run` processes on loopback,
// agent C reaching only relay B. Every agent's findings reach the hub; a hub killed with
// SIGKILL mid-sync and restarted loses nothing and duplicates nothing; an agent whose only
// path was down for several scans reconciles when it comes back.
import { describe, it, expect } from 'vitest'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { askControl, SOCKET_FILE } from '../node/index.ts'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, killAll, start, stop, until, zt } from './zt-processes.ts'

const PASS = 'mesh-test-passphrase'

// No x in the alphabet: a run like `xXxxX` is a placeholder to the scanner, and the test would lose that token.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWYZabcdefghijklmnopqrstuvwyz0123456789'
const token = () => `ghp_${Array.from(randomBytes(36), (b) => ALPHABET[b % ALPHABET.length]).join('')}`

/** Adds `n` planted secrets to an agent's tree: n new findings at its next scan. */
async function plant(tree: string, name: string, n: number): Promise<void> {
  await writeFile(join(tree, `${name}.env`), Array.from({ length: n }, (_, i) => `TOKEN_${i}=${token()}`).join('\n') + '\n')
}

describe('hub and agents as processes', () => {
  it('C reaches the hub only through relay B; a killed hub and an offline path lose nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-mesh-proc-'))
    const env = { ZT_HOME: join(dir, 'home'), ZT_PASSPHRASE: PASS }
    try {
      expect((await zt(['tenant', 'create', 'acme'], env)).code).toBe(0)
      const agents: Record<string, { data: string, tree: string, id: string }> = {}
      for (const name of ['a', 'b', 'c']) {
        const data = join(dir, name)
        const tree = join(dir, `tree-${name}`)
        await mkdir(tree, { recursive: true })
        await plant(tree, 'first', 3)
        const id = (await zt(['agent', 'init', '--data', data], env)).stdout.trim()
        const signed = await zt(['keys', 'sign-agent', '--tenant', 'acme', '--agent', id, '--name', `host-${name}`, '--roles', name === 'b' ? 'agent,relay' : 'agent', '--out', join(data, 'agent.cert')], env)
        expect(signed.code, signed.stderr).toBe(0)
        agents[name] = { data, tree, id }
      }
      const hubPort = await freePort()
      const relayPort = await freePort()
      const hubArgs = ['hub', 'start', '--listen', `/ip4/127.0.0.1/tcp/${hubPort}`, '--http', '0']
      let hub = await start(hubArgs, env, /^http /m)
      const hubAddr = /^libp2p (\S+)/m.exec(hub.stdout())![1]!
      const run = (name: string, extra: string[]) => start(['agent', 'run', '--data', agents[name]!.data, '--scan', agents[name]!.tree, '--interval', '1s', ...extra], env, /running; next scan/)
      const relayArgs = ['--hub', hubAddr, '--relay', '--listen', `/ip4/127.0.0.1/tcp/${relayPort}`]
      let b = await start(['agent', 'run', '--data', agents.b!.data, '--scan', agents.b!.tree, '--interval', '1s', ...relayArgs], env, /running; next scan/)
      // Its multiaddrs go to stdout, the ready line to stderr: either may come first.
      await until('the relay prints its address', async () => b.stdout().includes('/p2p/'), 10_000)
      const relayAddr = b.stdout().trim().split('\n')[0]!
      expect(relayAddr).toContain(`/tcp/${relayPort}/p2p/${agents.b!.id}`)
      const a = await run('a', ['--hub', hubAddr])
      const c = await run('c', ['--peer', relayAddr])

      // Polled often: straight to the agent's control socket and the hub's API (the CLI
      // commands that do the same are checked once below), so polling costs no process starts.
      const agentFindings = async (name: string) => {
        const answer = await askControl(join(agents[name]!.data, SOCKET_FILE), { cmd: 'findings' }).catch(() => undefined) as { id: string }[] | undefined
        const list = answer ?? (JSON.parse((await zt(['agent', 'findings', '--data', agents[name]!.data, '--json'], env)).stdout) as { id: string }[])
        return list.map((f) => f.id).sort()
      }
      const hubFindings = async (name: string) => {
        try {
          const { url } = JSON.parse(await readFile(join(env.ZT_HOME, 'hub.json'), 'utf8')) as { url: string }
          const token = (await readFile(join(env.ZT_HOME, 'operator.token'), 'utf8')).trim()
          const ids: string[] = []
          let cursor: string | null = null
          do {
            const res = await fetch(`${url}/api/v1/tenants/acme/findings?agent=${agents[name]!.id}&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${token}` } })
            const page = await res.json() as { findings: { id: string }[], next: string | null }
            ids.push(...page.findings.map((f) => f.id))
            cursor = page.next
          } while (cursor)
          return ids.sort()
        } catch {
          return [] // the hub is restarting
        }
      }
      const inSync = async (name: string) => {
        const [mine, hubs] = [await agentFindings(name), await hubFindings(name)]
        return mine.length > 0 && JSON.stringify(mine) === JSON.stringify(hubs)
      }
      await until('all three agents\' findings at the hub', async () => (await inSync('a')) && (await inSync('b')) && (await inSync('c')), 90_000)
      // The same through the commands users run.
      const viaCli = JSON.parse((await zt(['hub', 'findings', '--tenant', 'acme', '--agent', agents.a!.id, '--json'], env)).stdout) as { id: string }[]
      expect(viaCli.map((f) => f.id).sort()).toEqual(await agentFindings('a'))
      expect((JSON.parse((await zt(['agent', 'findings', '--data', agents.c!.data, '--json'], env)).stdout) as { id: string }[]).map((f) => f.id).sort()).toEqual(await hubFindings('c'))
      const listed = JSON.parse((await zt(['hub', 'agents', '--tenant', 'acme', '--json'], env)).stdout) as { id: string, online: boolean }[]
      expect(listed.find((x) => x.id === agents.c!.id)).toMatchObject({ online: false })
      expect(listed.find((x) => x.id === agents.a!.id)).toMatchObject({ online: true })

      // Big scans on A, and the hub killed at a random moment while A scans and syncs them
      // (three times); each time it is restarted on the same store.
      let planted = 3
      for (let round = 0; round < 3; round++) {
        await plant(agents.a!.tree, `big-${round}`, 1500)
        planted += 1500
        await new Promise((r) => setTimeout(r, 400 + Math.random() * 1400))
        await stop(hub, 'SIGKILL')
        hub = await start(hubArgs, env, /^http /m)
      }
      await plant(agents.a!.tree, 'after', 5)
      planted += 5
      await until('A in sync after the hub restarts', async () => (await agentFindings('a')).length === planted && inSync('a'), 120_000).catch(async (err: Error) => {
        const held = await hubFindings('a')
        await stop(hub)
        // What the hub's log holds, against its index: tells a sync that stalled from an index that did.
        const { HubStore } = await import('../hub/index.ts')
        const { findingsDoc, FINDINGS } = await import('../crdt/index.ts')
        const store = await HubStore.open(join(env.ZT_HOME, 'hub'))
        const log = store.tenant('acme').log
        const doc = await log.doc(findingsDoc(agents.a!.id))
        const have = (await log.haveVector())[findingsDoc(agents.a!.id)]
        await store.close()
        throw new Error(`${err.message}: A holds ${(await agentFindings('a')).length}, the hub's index ${held.length}, its log ${doc?.getMap(FINDINGS).size} (heads ${JSON.stringify(have)}) of ${planted}\nhub: ${hub.stderr().slice(-3000)}\nA: ${a.stderr().split('\n').filter((l) => !l.includes('scan:')).join('\n').slice(-3000)}`)
      })
      const ids = await hubFindings('a')
      expect(new Set(ids).size).toBe(ids.length)
      // Four starts of the hub, one hub certificate: it is kept in the hub's data and reused.
      const issued = JSON.parse((await zt(['keys', 'list', '--tenant', 'acme', '--json'], env)).stdout) as { roles: string[] }[]
      expect(issued.filter((c) => c.roles.includes('hub'))).toHaveLength(1)
      expect(ids.length).toBe(planted)

      // C's only path goes down for several of C's scans; C keeps scanning; the path comes back.
      await stop(b)
      for (let i = 0; i < 3; i++) {
        await plant(agents.c!.tree, `offline-${i}`, 2)
        await new Promise((r) => setTimeout(r, 1300))
      }
      await until('C scanned while offline', async () => (await agentFindings('c')).length === 3 + 6)
      b = await start(['agent', 'run', '--data', agents.b!.data, '--scan', agents.b!.tree, '--interval', '1s', ...relayArgs], env, /running; next scan/)
      await until('C reconciled through the relay', () => inSync('c'), 90_000)
      expect((await hubFindings('c')).length).toBe(3 + 6)

      // zt keys revoke against the running hub's home: within a second A is dropped and listed as revoked.
      const revoked = await zt(['keys', 'revoke', '--tenant', 'acme', '--agent', agents.a!.id, '--reason', 'test'], env)
      expect(revoked.code, revoked.stderr).toBe(0)
      const at = Date.now()
      const { url } = JSON.parse(await readFile(join(env.ZT_HOME, 'hub.json'), 'utf8')) as { url: string }
      const operator = { authorization: `Bearer ${(await readFile(join(env.ZT_HOME, 'operator.token'), 'utf8')).trim()}` }
      for (;;) {
        const { agents: list } = await (await fetch(`${url}/api/v1/tenants/acme/agents`, { headers: operator })).json() as { agents: { id: string, online: boolean, revoked: boolean }[] }
        const x = list.find((l) => l.id === agents.a!.id)
        if (x?.revoked && !x.online) break
        if (Date.now() - at > 5000) throw new Error('A not revoked at the hub within 5 s')
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(Date.now() - at).toBeLessThan(1000)
      const listed2 = JSON.parse((await zt(['hub', 'agents', '--tenant', 'acme', '--json'], env)).stdout) as { id: string, revoked: boolean }[]
      expect(listed2.find((l) => l.id === agents.a!.id)).toMatchObject({ revoked: true })
      await plant(agents.a!.tree, 'after-revoke', 2)
      await new Promise((r) => setTimeout(r, 2500))
      expect((await hubFindings('a')).length).toBe(planted)
      for (const p of [a, b, c, hub]) await stop(p)
    } finally {
      // A failure leaves processes running that still write to `dir`: kill them first, and let
      // no cleanup error hide the failure itself.
      await killAll()
      await rm(dir, { recursive: true, force: true, maxRetries: 5 }).catch((err: Error) => console.error(`cleanup of ${dir}: ${err.message}`))
    }
  }, 420_000)
})
