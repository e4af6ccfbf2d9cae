// Armored text for signed bytes, so certificates and revocation lists can be pasted and
// mailed: a header line, base64 wrapped at 64 columns, a footer.
import { KeyError } from './errors.ts'

export type ArmorLabel = 'CERTIFICATE' | 'REVOCATION LIST'

export function armor(label: ArmorLabel, bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64')
  const lines = b64.match(/.{1,64}/g) ?? []
  return [`-----BEGIN ZEROTRACE ${label}-----`, ...lines, `-----END ZEROTRACE ${label}-----`, ''].join('\n')
}

/** The bytes inside an armored block; a KeyError 'bad-armor' if it is not exactly one. */
export function dearmor(label: ArmorLabel, text: string): Uint8Array {
  const begin = `-----BEGIN ZEROTRACE ${label}-----`
  const end = `-----END ZEROTRACE ${label}-----`
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim()).filter((l) => l !== '')
  const b = lines.indexOf(begin)
  const e = lines.indexOf(end)
  if (b !== 0 || e !== lines.length - 1) throw new KeyError('bad-armor', `expected one ${begin} … ${end} block`)
  const body = lines.slice(1, -1).join('')
  // Strict base64: Buffer.from would silently skip a changed character.
  if (body.length === 0 || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new KeyError('bad-armor', 'armored body is not base64')
  const bytes = Buffer.from(body, 'base64')
  if (bytes.toString('base64') !== body) throw new KeyError('bad-armor', 'armored body is not canonical base64')
  return new Uint8Array(bytes)
}
