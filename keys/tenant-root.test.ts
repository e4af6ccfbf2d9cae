import { describe, it, expect } from 'vitest'
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import {
  KeyError, createAgentKey, createTenantRoot, listTenants, loadAgentKey, openTenantRoot, publicKeyFromPeerId,
  readPassphrase, readTenantPublicKey, verify,
} from './index.ts'

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (err) => { if (err instanceof KeyError) return err.code; throw err })

describe('tenant root keys', () => {
  it('are sealed at rest, 0600, and open only with the right passphrase', async () => {
    const home = await mkdtemp(join(tmpdir(), 'zt-root-'))
    const { publicKey } = await createTenantRoot(home, 'acme', 'right passphrase')
    const file = join(home, 'tenants/acme/root.key')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect((await stat(join(home, 'tenants/acme'))).mode & 0o777).toBe(0o700)
    const root = await openTenantRoot(home, 'acme', 'right passphrase')
    expect(root.publicKey).toEqual(publicKey)
    expect(await readTenantPublicKey(home, 'acme')).toEqual(publicKey)
    const msg = new TextEncoder().encode('hello')
    expect(verify(publicKey, msg, root.sign(msg))).toBe(true)
    expect(await code(openTenantRoot(home, 'acme', 'wrong passphrase'))).toBe('bad-passphrase')
    // The sealed file does not contain the seed in the clear (the public key is derivable from it).
    const sealed = await readFile(file)
    expect(Buffer.from(sealed).includes(Buffer.from(publicKey))).toBe(false)
    // A flipped byte in the sealed file never yields a key.
    const altered = Buffer.from(sealed)
    altered[altered.length - 5]! ^= 1
    await writeFile(file, altered)
    expect(['bad-passphrase', 'bad-key-file']).toContain(await code(openTenantRoot(home, 'acme', 'right passphrase')))
  })

  it('refuses overwrite, bad names, unknown tenants', async () => {
    const home = await mkdtemp(join(tmpdir(), 'zt-root-'))
    await createTenantRoot(home, 'acme', 'passphrase-1')
    expect(await code(createTenantRoot(home, 'acme', 'passphrase-1'))).toBe('exists')
    expect(await code(createTenantRoot(home, 'Bad/Name', 'passphrase-1'))).toBe('bad-tenant-name')
    expect(await code(openTenantRoot(home, 'nobody', 'passphrase-1'))).toBe('not-found')
    expect(await listTenants(home)).toEqual(['acme'])
  })
})

describe('agent keys', () => {
  it('are libp2p Ed25519 keys whose id is the PeerId, 0600, never overwritten', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'zt-agent-')), 'data')
    const created = await createAgentKey(dir)
    expect(created.peerId).toMatch(/^12D3KooW/)
    expect((await stat(join(dir, 'agent.key'))).mode & 0o777).toBe(0o600)
    const loaded = await loadAgentKey(dir)
    expect(loaded.peerId).toBe(created.peerId)
    expect(publicKeyFromPeerId(loaded.peerId)).toEqual(loaded.publicKey)
    expect(await code(createAgentKey(dir))).toBe('exists')
    expect((await loadAgentKey(dir)).peerId).toBe(created.peerId)
    expect(() => publicKeyFromPeerId('not-a-peer-id')).toThrow(expect.objectContaining({ code: 'bad-peer-id' }))
  })
})

describe('passphrases', () => {
  it('come from ZT_PASSPHRASE', async () => {
    expect(await readPassphrase({ env: { ZT_PASSPHRASE: 'from-env' }, stdin: new PassThrough(), stderr: new PassThrough() })).toBe('from-env')
  })
  it('without a TTY and without ZT_PASSPHRASE fail at once instead of waiting', async () => {
    expect(await code(readPassphrase({ env: {}, stdin: new PassThrough(), stderr: new PassThrough() }))).toBe('no-passphrase')
  })
  it('are read from a terminal without echo', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin })
    const stderr = new PassThrough()
    let echoed = ''
    stderr.on('data', (d) => { echoed += d })
    const p = readPassphrase({ env: {}, stdin, stderr })
    stdin.write('s3cret pass\r')
    expect(await p).toBe('s3cret pass')
    expect(echoed).not.toContain('s3cret')
  })
})
