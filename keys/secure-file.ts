// Key material on disk: written whole (temp file + rename, so a crash never leaves half a
// key), mode 0600 in directories of mode 0700.
import { mkdir, rename, writeFile, open, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { randomBytes } from 'node:crypto'

export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
}

/** Atomically writes data with mode 0600; with `exclusive`, fails (EEXIST) when the file exists. */
export async function writePrivateFile(path: string, data: Uint8Array | string, opts: { exclusive?: boolean } = {}): Promise<void> {
  await ensurePrivateDir(dirname(path))
  if (opts.exclusive) {
    // Claim the name first so two writers can never both succeed.
    const fh = await open(path, 'wx', 0o600)
    await fh.close()
  }
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(tmp, data, { mode: 0o600, flush: true })
    await rename(tmp, path)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
}
