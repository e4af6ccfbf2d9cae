// Running `zt` as users do, for cross-process tests: one-shot commands, long-running ones
// (hub, agents) started until they say they are ready, stopped by signal, and polling.
import { afterAll } from 'vitest'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..')
const ZT = join(ROOT, 'bin/zt.js')

const children = new Set<ChildProcess>()
afterAll(() => killAll())

/** Kills every process still running with SIGKILL and waits for them to exit (before their directories are removed). */
export async function killAll(): Promise<void> {
  const running = [...children]
  await Promise.all(running.map((c) => new Promise((r) => { c.once('exit', r); c.kill('SIGKILL') })))
}

export function zt(args: string[], env: Record<string, string>): Promise<{ code: number, stdout: string, stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [ZT, ...args], { env: { PATH: process.env.PATH!, ...env }, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    })
  })
}

export async function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const port = (s.address() as { port: number }).port; s.close(() => done(port)) })
  })
}

export interface Proc { child: ChildProcess, stdout: () => string, stderr: () => string }

/** Starts a long-running zt command; resolves once its output matches `ready`. */
export async function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, [ZT, ...args], { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  child.on('exit', () => children.delete(child))
  let out = ''
  let err = ''
  await new Promise<void>((done, fail) => {
    const t = setTimeout(() => fail(new Error(`zt ${args.join(' ')} not ready: ${out}\n${err}`)), 30_000)
    child.stdout!.on('data', (d) => { out += d; if (ready.test(out + err)) { clearTimeout(t); done() } })
    child.stderr!.on('data', (d) => { err += d; if (ready.test(out + err)) { clearTimeout(t); done() } })
    child.on('exit', (code) => { clearTimeout(t); fail(new Error(`zt ${args.join(' ')} exited ${code}: ${err}`)) })
  })
  return { child, stdout: () => out, stderr: () => err }
}

export async function stop(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return
  const exited = new Promise((r) => p.child.once('exit', r))
  p.child.kill(signal)
  await exited
}

export async function until(what: string, fn: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}
