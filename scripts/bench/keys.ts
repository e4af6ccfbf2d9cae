// npm run bench:keys — ed25519 signs/s and verifies/s for certificates and 64 KiB payloads
// (the size of an envelope), @noble/ed25519 beside node:crypto on the same inputs.
import { randomBytes } from 'node:crypto'
import { generateSeed, noble, publicKeyOf, sign, verify, issueCertificate, type TenantRoot } from '../../keys/index.ts'
import { pack } from '../../protocol/index.ts'

const seed = generateSeed()
const publicKey = publicKeyOf(seed)
const root: TenantRoot = { tenant: 'bench', publicKey, sign: (b) => sign(seed, b) }
const cert = issueCertificate(root, {
  subject: '12D3KooWRZkujJ11mkV4rjUo6BA6ag2Gx1njVYRWmNswesUbn3VT', name: 'bench-agent', roles: ['agent', 'relay'],
  serial: 1, notBefore: Date.now(), notAfter: Date.now() + 86_400_000,
})
// What a verifier checks: the certificate body bytes the root signed.
const certBody = pack(cert.body)
const payloads = { [`certificate (${certBody.length} B)`]: certBody, 'payload (64 KiB)': new Uint8Array(randomBytes(64 * 1024)) }

function rate(fn: () => void, ms = 1500): number {
  for (let i = 0; i < 50; i++) fn()
  let n = 0
  const start = performance.now()
  let now = start
  while (now - start < ms) { for (let i = 0; i < 20; i++) fn(); n += 20; now = performance.now() }
  return n / ((now - start) / 1000)
}

const rows: string[][] = []
for (const [label, msg] of Object.entries(payloads)) {
  const sig = sign(seed, msg)
  const nodeSign = rate(() => sign(seed, msg))
  const nobleSign = rate(() => noble.sign(msg, seed))
  const nodeVerify = rate(() => { if (!verify(publicKey, msg, sig)) throw new Error('verify failed') })
  const nobleVerify = rate(() => { if (!noble.verify(sig, msg, publicKey)) throw new Error('verify failed') })
  rows.push([label, 'sign/s', nodeSign.toFixed(0), nobleSign.toFixed(0), (nodeSign / nobleSign).toFixed(1) + '×'])
  rows.push([label, 'verify/s', nodeVerify.toFixed(0), nobleVerify.toFixed(0), (nodeVerify / nobleVerify).toFixed(1) + '×'])
}
const headers = ['input', 'op', 'node:crypto', '@noble/ed25519', 'node/noble']
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
const fmt = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
console.log(`ed25519 on Node ${process.versions.node} (${process.arch})`)
console.log(fmt(headers))
for (const r of rows) console.log(fmt(r))
