// The hub re-matches stored inventories without a rescan and must record the findings an
// agent would, under the same fingerprints (DESIGN.md "Data model"). Checked against the
// agent's own scan() over real lockfile fixtures (google/osv-scanner, Apache-2.0) and real
// advisories (golang/vulndb, pypa/advisory-database, nodejs/security-wg: CC-BY-4.0, MIT).
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { copyFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import * as Y from 'yjs'
import { openAdvisoryDb } from '../advisories/index.ts'
import { PACKAGES, writeInventory, type Finding } from '../crdt/index.ts'
import { openHubDb, createRematcher, rematchInventories, type HubDb } from '../hub/index.ts'
import { scan, type ScanResult } from '../node/index.ts'
import type { Package } from '../protocol/index.ts'

const ROOT = resolve(import.meta.dirname, '..')
const OSV = join(ROOT, '../shared/data/osv')
const FIXTURES = join(ROOT, '../shared/data/lockfiles/osv-scanner-v1/fixtures')
const SOURCES = ['go-vulndb/go-vulndb-osv.jsonl', 'pypi-pypa-advisory-database/pypa-osv.jsonl', 'npm-nodejs-security-wg/nodejs-security-wg-npm.jsonl', 'osv-scanner-offline-dbs/osv-scanner-offline-dbs.jsonl'].map((f) => join(OSV, f))
/** Fixtures under the names the scanner recognises. */
const TREE: Record<string, string> = {
  'py/requirements.txt': 'pip/multiple-packages-mixed.txt',
  'pipenv/Pipfile.lock': 'pipenv/multiple-packages.json',
  'go/go.mod': 'go/two-packages.mod',
  'web/package-lock.json': 'npm/nested-dependencies.v2.json',
  'poetry/poetry.lock': 'poetry/two-packages.lock',
}
const AGENT = '12D3KooWAgentAgentAgentAgentAgentAgentAgentAgentAgent'

let dir: string
let hub: HubDb
let scanned: ScanResult
/** The inventory as the agent's inventory doc holds it (through Yjs and back). */
let inventory: Package[]

const byId = (list: Finding[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zt-rematch-'))
  const tree = join(dir, 'tree')
  for (const [to, from] of Object.entries(TREE)) {
    await mkdir(dirname(join(tree, to)), { recursive: true })
    await copyFile(join(FIXTURES, from), join(tree, to))
  }
  await cp(join(ROOT, 'scripts/demo/tree'), join(tree, 'demo'), { recursive: true })
  const agentDb = await openAdvisoryDb(join(dir, 'agent-db'))
  for (const s of [...SOURCES, join(ROOT, 'scripts/demo/advisories.jsonl')]) await agentDb.import(s)
  scanned = await scan({ roots: [tree], advisories: agentDb, agent: AGENT, secrets: false, threads: 0 })
  await agentDb.close()
  const doc = new Y.Doc()
  writeInventory(doc, scanned.packages)
  inventory = [...doc.getMap<Package>(PACKAGES).values()]
  hub = await openHubDb(join(dir, 'hub-advisories'))
  await hub.importAdvisories([...SOURCES, join(ROOT, 'scripts/demo/advisories.jsonl')])
}, 120_000)

afterAll(async () => {
  await hub?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('hub re-match', () => {
  it('the fixture tree gives the agent real findings to compare against', () => {
    expect(scanned.errors).toEqual([])
    expect(scanned.findings.length).toBeGreaterThan(100)
    expect(new Set(scanned.findings.map((f) => f.path)).size).toBeGreaterThanOrEqual(4)
    expect(inventory.length).toBe(scanned.packages.length)
  })

  for (const threads of [0, 2]) {
    it(`finds exactly what scan() found, with the same ids (${threads === 0 ? 'inline' : 'worker pool'})`, async () => {
      const r = await rematchInventories([[AGENT, inventory]], hub.advisories, { threads, taskEntries: 16 })
      expect(byId(r.findings.get(AGENT)!)).toEqual(byId(scanned.findings.filter((f) => f.kind === 'vuln')))
      expect(r.stats).toMatchObject({ agents: 1, entries: inventory.length, findings: scanned.findings.length })
    })
  }

  it('streams per agent, once each, fingerprints bound to the agent, agents without findings included', async () => {
    const rematcher = createRematcher({ threads: 1, taskEntries: 7, pendingEntries: 5 })
    try {
      const seen: [string, Finding[]][] = []
      const other = '12D3KooWOtherOtherOtherOtherOtherOtherOtherOtherOther'
      async function* inventories() {
        yield [AGENT, inventory] as const
        yield ['clean', [{ ecosystem: 'npm', name: 'left-pad-not-listed', version: '1.0.0', source: 'package-lock.json' }]] as const
        yield [other, inventory.slice(0, 40)] as const
      }
      const r = await rematcher.rematch(inventories(), hub.advisories, { onAgent: (a, f) => { seen.push([a, f]) } })
      expect(r.findings.size).toBe(0)
      expect(seen.map(([a]) => a).sort()).toEqual([AGENT, 'clean', other].sort())
      const mine = seen.find(([a]) => a === AGENT)![1]
      const theirs = seen.find(([a]) => a === other)![1]
      expect(seen.find(([a]) => a === 'clean')![1]).toEqual([])
      expect(mine.length).toBe(scanned.findings.length)
      expect(theirs.length).toBeGreaterThan(0)
      // Same problem on another agent: another finding.
      const ids = new Set(mine.map((f) => f.id))
      expect(theirs.some((f) => ids.has(f.id))).toBe(false)
      expect(rematcher.queueDepth).toBe(0)
    } finally {
      await rematcher.close()
    }
  })

  it('an advisory imported after the scan shows up without a rescan', async () => {
    const pkg = inventory.find((p) => p.ecosystem === 'npm')!
    const before = (await rematchInventories([[AGENT, inventory]], hub.advisories, { threads: 0 })).findings.get(AGENT)!
    const file = join(dir, 'new.json')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(file, JSON.stringify({ id: 'GHSA-test-new0-0001', modified: '2030-01-01T00:00:00Z', aliases: ['CVE-2030-0001'], summary: 'new', affected: [{ package: { ecosystem: 'npm', name: pkg.name }, versions: [pkg.version] }] }))
    await hub.importAdvisories([file])
    const after = (await rematchInventories([[AGENT, inventory]], hub.advisories, { threads: 0 })).findings.get(AGENT)!
    const added = after.filter((f) => !before.some((b) => b.id === f.id))
    expect(added.map((f) => [f.rule, f.package, f.version, f.path])).toEqual([['GHSA-test-new0-0001', pkg.name, pkg.version, pkg.source]])
  })
})

describe('hub re-match failures', () => {
  it('a failing advisory lookup rejects the re-match, and the re-matcher stays usable', async () => {
    const rematcher = createRematcher({ threads: 1 })
    try {
      const broken = { recordsFor: async () => { throw new Error('disk gone') } }
      await expect(rematcher.rematch([[AGENT, inventory]], broken)).rejects.toThrow('disk gone')
      const r = await rematcher.rematch([[AGENT, inventory]], hub.advisories)
      expect(r.findings.get(AGENT)!.length).toBeGreaterThanOrEqual(scanned.findings.length)
    } finally {
      await rematcher.close()
    }
    await expect(rematcher.rematch([], hub.advisories)).rejects.toMatchObject({ code: 'closed' })
  })
})
