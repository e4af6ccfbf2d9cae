// Passphrases come from ZT_PASSPHRASE or a prompt on the terminal, never from arguments;
// with neither, fail at once with a clear message rather than wait on a pipe forever.
import type { Readable, Writable } from 'node:stream'
import { KeyError } from './errors.ts'

export interface PassphraseSource {
  env: Record<string, string | undefined>
  stdin: Readable & { isTTY?: boolean, setRawMode?: (on: boolean) => unknown }
  stderr: Writable
  /** Ask twice (when creating a key). */
  confirm?: boolean
}

export async function readPassphrase(src: PassphraseSource): Promise<string> {
  const fromEnv = src.env.ZT_PASSPHRASE
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (!src.stdin.isTTY || typeof src.stdin.setRawMode !== 'function') {
    throw new KeyError('no-passphrase', 'a passphrase is needed: set ZT_PASSPHRASE or run on a terminal')
  }
  const first = await prompt(src, 'Passphrase: ')
  if (src.confirm) {
    const second = await prompt(src, 'Repeat passphrase: ')
    if (first !== second) throw new KeyError('bad-passphrase', 'the passphrases differ')
  }
  return first
}

function prompt(src: PassphraseSource, question: string): Promise<string> {
  const { stdin, stderr } = src
  return new Promise((resolve, reject) => {
    let value = ''
    stderr.write(question)
    stdin.setRawMode!(true)
    stdin.resume()
    const done = (err?: Error) => {
      stdin.setRawMode!(false)
      stdin.pause()
      stdin.off('data', onData)
      stderr.write('\n')
      if (err) reject(err)
      else resolve(value)
    }
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003') return done(new KeyError('no-passphrase', 'cancelled'))
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else value += ch
      }
    }
    stdin.on('data', onData)
  })
}
