import { describe, it, expect } from 'vitest'
import { createSecretScanner, maskSecret, secretHash } from './index.ts'

const key = new Uint8Array(32).fill(7)
const scanner = createSecretScanner({ hmacKey: key })
const TOKEN = 'ghp_Zt7Demo4c9Xv2LqP8sW1mN6bR3yK5hJ0uTfE'

describe('secret scanner', () => {
  it('locates a secret and keeps only a masked preview and a keyed hash', () => {
    const text = `# config\nname = "demo"\nGITHUB_TOKEN=${TOKEN}\n`
    const [hit, ...rest] = scanner.scan(text, 'app/.env')
    expect(rest).toEqual([])
    expect(hit).toMatchObject({ rule: 'github-pat', path: 'app/.env', line: 3, column: 14, preview: 'ghp_************uTfE' })
    expect(hit!.hash).toBe(secretHash(key, TOKEN))
    expect(JSON.stringify(hit)).not.toContain(TOKEN.slice(4, -4))
  })

  it('masks at most the first and last 4 characters', () => {
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('abcd************wxyz')
    expect(maskSecret('abcdefghijkl')).toBe('ab********kl')
    expect(maskSecret('abcdefgh')).toBe('a******h')
    expect(maskSecret('abc')).toBe('***')
  })

  it('a zt:allow comment suppresses its line only', () => {
    const text = `a = "${TOKEN}" # zt:allow\nb = "${TOKEN.replace('Zt7', 'Qq9')}"\n`
    expect(scanner.scan(text, 'x.py').map((h) => h.line)).toEqual([2])
  })

  it('placeholders, templates and example files are not secrets', () => {
    expect(scanner.scan('token = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\npassword = "${DB_PASSWORD}"\n', 'x.env')).toEqual([])
    expect(scanner.scan('token = "ghp_81qbIDbylE4LOWc79XXXXXPR7eK4b2mMmQ1a"\n', 'x.env')).toEqual([])
    // A mixed-case run of x in a random token is chance, not a fill-in.
    expect(scanner.scan('token = "ghp_81qbIDbylE4LOWc79b4IM5HmMmxxxXxPR7eK"\n', 'x.env')).toHaveLength(1)
    expect(scanner.scan(`GITHUB_TOKEN=${TOKEN}`, 'config/.env.example')).toEqual([])
    expect(scanner.scan(`GITHUB_TOKEN=${TOKEN}`, 'src/testdata/creds.txt')).toEqual([])
  })

  it('finds multi-line private keys and skips binary content', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEAn6/O8li+SX4m98LLYt/PKSzEmQ++ZBD7Loh9P13f4yQ92EF3\nyxR5MsXFu9PRsrYQA7/4UTPHiC4y2sAVCBg4C2yyBpUEtMQjyCESi6Y=\n-----END RSA PRIVATE KEY-----\n'
    expect(scanner.scan(`x\n${pem}`, 'id_rsa').map((h) => [h.rule, h.line])).toEqual([['private-key', 2]])
    const bin = new Uint8Array([...Buffer.from(`GITHUB_TOKEN=${TOKEN}`), 0, 1, 2])
    expect(scanner.scanBuffer(bin, 'blob.bin')).toEqual([])
    expect(scanner.scanBuffer(new Uint8Array(Buffer.from(`GITHUB_TOKEN=${TOKEN}`)), 'a.txt')).toHaveLength(1)
  })

  it('reports a token once, under its own rule rather than the generic one', () => {
    const hits = scanner.scan(`slack_token = "xoxb-263594206564-FGqddMF8t08v8N7Oq4i57vs1"`, 'a.cfg')
    expect(hits.map((h) => h.rule)).toEqual(['slack-token'])
  })

  it('ordinary code is quiet', () => {
    const code = 'const apiUrl = "https://api.example.com/v1"\nfunction getKey(map, key) { return map[key] }\nconst tokenizer = new Tokenizer()\npassword_field = form.fields.password\n'
    expect(scanner.scan(code, 'src/app.ts')).toEqual([])
  })
})
