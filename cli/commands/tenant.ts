// `zt tenant …`: tenant root keys in the home.
import { createRevocationList, createTenantRoot, listTenants, openTenantRoot, readPassphrase, writeRevocationList } from '../../keys/index.ts'
import { homeDir, printJson, println, type Command } from '../command.ts'
import { UsageError } from '../errors.ts'
import { formatTable } from '../table.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

export const tenantCreate: Command = {
  path: ['tenant', 'create'],
  summary: 'create a tenant root key (encrypted with a passphrase) in the home',
  usage: '<tenant>',
  help: ['<tenant>      lowercase letters, digits and dashes', 'the passphrase comes from ZT_PASSPHRASE or a prompt'],
  options: {},
  positionals: true,
  async run(opts, args, ctx) {
    if (args.length !== 1) throw new UsageError('give exactly one tenant name')
    const tenant = args[0]!
    const home = homeDir(opts, ctx)
    const passphrase = await readPassphrase({ env: ctx.env, stdin: ctx.stdin, stderr: ctx.stderr, confirm: true })
    const { publicKey } = await createTenantRoot(home, tenant, passphrase)
    // Every tenant starts with a signed, empty revocation list (version 1), so peers always
    // have a baseline to compare newer lists against.
    const root = await openTenantRoot(home, tenant, passphrase)
    await writeRevocationList(home, tenant, createRevocationList(root, undefined, []))
    if (opts.json) return printJson(ctx, { tenant, publicKey: hex(publicKey), home })
    println(ctx, `tenant     ${tenant}`)
    println(ctx, `public key ${hex(publicKey)}`)
    println(ctx, `home       ${home}`)
  },
}

export const tenantList: Command = {
  path: ['tenant', 'list'],
  summary: 'list the tenants whose root keys are in the home',
  usage: '',
  options: {},
  async run(opts, _args, ctx) {
    const tenants = await listTenants(homeDir(opts, ctx))
    if (opts.json) return printJson(ctx, tenants.map((tenant) => ({ tenant })))
    ctx.stdout.write(formatTable(['TENANT'], tenants.map((t) => [t])))
  },
}
