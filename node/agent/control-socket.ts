// The running agent's control socket: a unix socket (mode 0600) in the data dir, one JSON
// request per line, one JSON answer per line. `zt agent findings|status|log` use it.
import { chmod, unlink } from 'node:fs/promises'
import { createConnection, createServer, type Server } from 'node:net'

export type ControlRequest = { cmd: 'findings', all?: boolean } | { cmd: 'status' } | { cmd: 'log', verify?: boolean } | { cmd: 'scan' } | { cmd: 'export', out: string, sinceAck?: boolean }

export type ControlHandler = (req: ControlRequest) => Promise<unknown>

const MAX_LINE = 64 * 1024

export async function serveControl(path: string, handle: ControlHandler): Promise<Server> {
  await unlink(path).catch(() => {})
  const server = createServer((socket) => {
    let buf = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      buf += chunk
      if (buf.length > MAX_LINE) { socket.destroy(); return }
      const nl = buf.indexOf('\n')
      if (nl === -1) return
      const line = buf.slice(0, nl)
      buf = ''
      let req: ControlRequest
      try { req = JSON.parse(line) as ControlRequest } catch { socket.end(JSON.stringify({ error: { code: 'bad-request', message: 'not JSON' } }) + '\n'); return }
      handle(req).then(
        (result) => socket.end(JSON.stringify({ result }) + '\n'),
        (err: Error & { code?: string }) => socket.end(JSON.stringify({ error: { code: err.code ?? 'error', message: err.message } }) + '\n'),
      )
    })
    socket.on('error', () => socket.destroy())
  })
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(path, resolve) })
  await chmod(path, 0o600)
  return server
}

export class ControlError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'ControlError'
    this.code = code
  }
}

/** Asks the running agent; undefined when no agent listens on the socket. */
export function askControl(path: string, req: ControlRequest, timeoutMs = 60_000): Promise<unknown | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path)
    let buf = ''
    const timer = setTimeout(() => { socket.destroy(); reject(new ControlError('timeout', `the agent did not answer within ${timeoutMs} ms`)) }, timeoutMs)
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(JSON.stringify(req) + '\n'))
    socket.on('data', (c: string) => { buf += c })
    socket.on('end', () => {
      clearTimeout(timer)
      try {
        const msg = JSON.parse(buf) as { result?: unknown, error?: { code: string, message: string } }
        if (msg.error) reject(new ControlError(msg.error.code, msg.error.message))
        else resolve(msg.result)
      } catch { reject(new ControlError('bad-answer', 'the agent sent an unreadable answer')) }
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve(undefined)
      else reject(err)
    })
  })
}
