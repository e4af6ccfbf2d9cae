// `zt keys …`: certificates and revocation, signed with a tenant root key in the home.
import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  armorCertificate, armorRevocationList, checkCertificate, createRevocationList, isRevoked, issueCertificate,
  listIssued, listTenants, nextSerial, openTenantRoot, parseArmoredCertificate, publicKeyFromPeerId, readPassphrase,
  readRevocationList, readTenantPublicKey, recordIssued, writeRevocationList,
  type Certificate, type CertificateBody, type Role,
} from '../../keys/index.ts'
import { homeDir, optionalString, printJson, println, requireString, type CliContext, type Command, type OptionValues } from '../command.ts'
import { parseDuration } from '../duration.ts'
import { CheckFailed, UsageError } from '../errors.ts'
import { formatTable } from '../table.ts'

const ROLES: readonly Role[] = ['agent', 'relay', 'hub']

function parseRoles(text: string): Role[] {
  const roles = [...new Set(text.split(',').map((r) => r.trim()).filter(Boolean))]
  for (const r of roles) if (!ROLES.includes(r as Role)) throw new UsageError(`--roles: unknown role '${r}' (agent, relay, hub)`)
  if (roles.length === 0) throw new UsageError('--roles: at least one role')
  return roles as Role[]
}

async function openRoot(opts: OptionValues, ctx: CliContext, tenant: string) {
  const passphrase = await readPassphrase({ env: ctx.env, stdin: ctx.stdin, stderr: ctx.stderr })
  return openTenantRoot(homeDir(opts, ctx), tenant, passphrase)
}

async function writeOut(ctx: CliContext, out: string | undefined, text: string): Promise<void> {
  if (out === undefined) { ctx.stdout.write(text); return }
  await writeFile(resolve(ctx.cwd, out), text, { mode: 0o644 })
}

const iso = (ms: number) => new Date(ms).toISOString()

export const keysSignAgent: Command = {
  path: ['keys', 'sign-agent'],
  summary: 'issue a certificate for an agent id, signed by the tenant root',
  usage: '--tenant T --agent PEERID --name NAME [--roles agent,relay] [--expires 90d] [--out FILE]',
  help: [
    '--tenant T        the tenant whose root key signs',
    '--agent PEERID    the agent id printed by zt agent init',
    '--name NAME       a name for people (host, repo)',
    '--roles LIST      agent, relay, hub (default agent)',
    '--expires DUR     validity from now (default 90d)',
    '--out FILE        write the armored certificate here (default stdout)',
  ],
  options: { tenant: { type: 'string' }, agent: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' }, expires: { type: 'string' }, out: { type: 'string' } },
  async run(opts, _args, ctx) {
    const tenant = requireString(opts, 'tenant')
    const subject = requireString(opts, 'agent')
    const name = requireString(opts, 'name')
    const roles = parseRoles(optionalString(opts, 'roles') ?? 'agent')
    const validFor = parseDuration(optionalString(opts, 'expires') ?? '90d', 'expires')
    publicKeyFromPeerId(subject)
    const home = homeDir(opts, ctx)
    // DESIGN.md: an agent key belongs to one tenant only.
    for (const other of await listTenants(home)) {
      if (other === tenant) continue
      if ((await listIssued(home, other)).some((c) => c.body.subject === subject)) {
        throw new UsageError(`agent ${subject} already holds a certificate of tenant '${other}'; an agent key belongs to one tenant`)
      }
    }
    const root = await openRoot(opts, ctx, tenant)
    const now = Date.now()
    const serial = await nextSerial(home, tenant)
    const cert = issueCertificate(root, { subject, name, roles, serial, notBefore: now, notAfter: now + validFor })
    await recordIssued(home, tenant, cert)
    await writeOut(ctx, optionalString(opts, 'out'), armorCertificate(cert))
    if (opts.out !== undefined || ctx.stderr.isTTY) ctx.stderr.write(`issued certificate serial ${serial} for ${name} (${subject}), valid until ${iso(cert.body.notAfter)}\n`)
  },
}

export const keysVerify: Command = {
  path: ['keys', 'verify'],
  summary: 'verify a certificate against the tenant root and revocation list (exit 1 when invalid)',
  usage: '<cert-file> --tenant T',
  help: ['<cert-file>   an armored certificate (- for stdin)', '--tenant T    the tenant it must belong to'],
  options: { tenant: { type: 'string' } },
  positionals: true,
  async run(opts, args, ctx) {
    if (args.length !== 1) throw new UsageError('give exactly one certificate file')
    const tenant = requireString(opts, 'tenant')
    const home = homeDir(opts, ctx)
    const text = args[0] === '-' ? await readStream(ctx.stdin) : await readFile(resolve(ctx.cwd, args[0]!), 'utf8')
    const rootPublicKey = await readTenantPublicKey(home, tenant)
    const revocationList = await readRevocationList(home, tenant)
    let result: { ok: true, body: CertificateBody } | { ok: false, reason: string }
    try {
      result = checkCertificate(parseArmoredCertificate(text), { tenant, rootPublicKey, revocationList, now: Date.now() })
    } catch (err) {
      const code = (err as { code?: string }).code
      if (typeof code !== 'string') throw err
      result = { ok: false, reason: code }
    }
    if (opts.json) printJson(ctx, result.ok ? { valid: true, certificate: describe(result.body) } : { valid: false, reason: result.reason })
    else println(ctx, result.ok ? 'valid' : result.reason)
    if (!result.ok) throw new CheckFailed(`certificate is not valid: ${result.reason}`)
  },
}

export const keysRevoke: Command = {
  path: ['keys', 'revoke'],
  summary: 'revoke a certificate by serial, or every certificate of an agent, in a new revocation list version',
  usage: '--tenant T (--serial N | --agent PEERID) --reason TEXT',
  help: ['--serial N        one certificate (its agent key stays revoked too)', '--agent PEERID    the agent key, whatever certificates it holds now or later', '--reason TEXT     why, kept in the list'],
  options: { tenant: { type: 'string' }, serial: { type: 'string' }, agent: { type: 'string' }, reason: { type: 'string' } },
  async run(opts, _args, ctx) {
    const tenant = requireString(opts, 'tenant')
    const reason = requireString(opts, 'reason')
    const serialText = optionalString(opts, 'serial')
    const agent = optionalString(opts, 'agent')
    if ((serialText === undefined) === (agent === undefined)) throw new UsageError('give one of --serial or --agent')
    const home = homeDir(opts, ctx)
    const issued = await listIssued(home, tenant)
    let targets: Certificate[]
    if (serialText !== undefined) {
      if (!/^\d+$/.test(serialText)) throw new UsageError(`--serial: '${serialText}' is not a serial number`)
      targets = issued.filter((c) => c.body.serial === Number(serialText))
      if (targets.length === 0) throw new UsageError(`tenant '${tenant}' issued no certificate with serial ${serialText}`)
    } else {
      publicKeyFromPeerId(agent!)
      targets = issued.filter((c) => c.body.subject === agent)
    }
    const root = await openRoot(opts, ctx, tenant)
    const held = await readRevocationList(home, tenant)
    const revokedAt = Date.now()
    // Revoking by subject as well as serial: a certificate later re-issued for the key stays revoked.
    const entries = targets.length > 0
      ? targets.map((c) => ({ serial: c.body.serial, subject: c.body.subject, revokedAt, reason }))
      : [{ serial: 0, subject: agent!, revokedAt, reason }]
    const list = createRevocationList(root, held, entries)
    await writeRevocationList(home, tenant, list)
    if (opts.json) return printJson(ctx, { tenant, version: list.body.version, revoked: entries })
    println(ctx, `revocation list version ${list.body.version}: revoked ${entries.map((e) => e.serial ? `serial ${e.serial} (${e.subject})` : e.subject).join(', ')}`)
  },
}

function statusOf(cert: Certificate, list: Awaited<ReturnType<typeof readRevocationList>>, now: number): 'valid' | 'expired' | 'revoked' | 'not-yet-valid' {
  if (list && isRevoked(list, cert.body)) return 'revoked'
  if (cert.body.notAfter < now) return 'expired'
  if (cert.body.notBefore > now) return 'not-yet-valid'
  return 'valid'
}

function describe(b: CertificateBody) {
  return { serial: b.serial, tenant: b.tenant, agentId: b.subject, name: b.name, roles: b.roles, notBefore: iso(b.notBefore), notAfter: iso(b.notAfter) }
}

export const keysList: Command = {
  path: ['keys', 'list'],
  summary: 'list issued certificates with their status',
  usage: '--tenant T',
  options: { tenant: { type: 'string' } },
  async run(opts, _args, ctx) {
    const tenant = requireString(opts, 'tenant')
    const home = homeDir(opts, ctx)
    const [issued, list] = await Promise.all([listIssued(home, tenant), readRevocationList(home, tenant)])
    const now = Date.now()
    const rows = issued.sort((a, b) => a.body.serial - b.body.serial).map((c) => ({ ...describe(c.body), status: statusOf(c, list, now) }))
    if (opts.json) return printJson(ctx, rows)
    ctx.stdout.write(formatTable(['SERIAL', 'AGENT', 'NAME', 'ROLES', 'EXPIRES', 'STATUS'],
      rows.map((r) => [String(r.serial), r.agentId, r.name, r.roles.join(','), r.notAfter, r.status])))
  },
}

export const keysCrl: Command = {
  path: ['keys', 'crl'],
  summary: 'print or write the current signed revocation list',
  usage: '--tenant T [--out FILE]',
  help: ['--out FILE    write the armored list here (default stdout)'],
  options: { tenant: { type: 'string' }, out: { type: 'string' } },
  async run(opts, _args, ctx) {
    const tenant = requireString(opts, 'tenant')
    const list = await readRevocationList(homeDir(opts, ctx), tenant)
    if (!list) throw new UsageError(`tenant '${tenant}' has no revocation list in this home`)
    if (opts.json) {
      return printJson(ctx, { tenant: list.body.tenant, version: list.body.version, entries: list.body.entries.map((e) => ({ ...e, revokedAt: iso(e.revokedAt) })) })
    }
    await writeOut(ctx, optionalString(opts, 'out'), armorRevocationList(list))
  },
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}
