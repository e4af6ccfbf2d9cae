// Worker-thread side of a scan (run by piscina): reads, hashes, parses and secret-scans a
// batch of files. Pure CPU and local reads; everything it returns is plain data.
import { readFileSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { threadId } from 'node:worker_threads'
import { workerData } from 'piscina'
import { parserFor } from './lockfiles/index.ts'
import { createSecretScanner, type SecretScanner } from './secrets/index.ts'
import type { ExaminedBatch, FileResult, FileTask } from './file-result.ts'
import { KeyNumbering } from './key-numbering.ts'
import { packPackages } from './package-codec.ts'

const hmacKey = (workerData as { hmacKey?: Uint8Array } | undefined)?.hmacKey
const secretScanner = hmacKey ? createSecretScanner({ hmacKey }) : undefined
const numbering = new KeyNumbering()
const NO_IDS = new Uint32Array(0)
const NO_KEYS = new Uint8Array(0)
const utf8 = new TextEncoder()

/** What examining needs besides the files: the secret scanner (if any) and the thread's key numbering. */
export interface Examiner { scanner: SecretScanner | undefined, numbering: KeyNumbering, thread: number }

/** Reads and examines one file; never throws (a failure is the result's `error`). */
function examineFile(task: FileTask, { scanner, numbering }: Examiner): FileResult {
  const result: FileResult = { abs: task.abs, rel: task.rel, size: 0, mtimeMs: 0, ctimeMs: 0, hash: '', packages: packPackages([]), count: 0, keys: NO_KEYS, ids: NO_IDS, secrets: [], secretsScanned: false }
  let bytes: Buffer
  try {
    const st = statSync(task.abs)
    result.size = st.size
    result.mtimeMs = st.mtimeMs
    result.ctimeMs = st.ctimeMs
    bytes = readFileSync(task.abs)
  } catch (err) {
    result.error = `unreadable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`
    return result
  }
  if (task.hash) result.hash = createHash('sha256').update(bytes).digest('hex')
  if (task.expect !== undefined && result.hash === task.expect) {
    result.same = true
    return result
  }
  if (task.parse) {
    const parser = parserFor(task.rel)
    if (parser) {
      const dir = dirname(task.abs)
      try {
        const list = parser.parse(bytes.toString('utf8'), {
          path: task.rel,
          readRelative: (rel) => {
            const path = resolve(dir, rel)
            try {
              const st = statSync(path)
              ;(result.deps ??= []).push({ path, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs })
              return readFileSync(path, 'utf8')
            } catch {
              // A side file that does not exist now may appear later: remember its absence.
              ;(result.deps ??= []).push({ path, size: -1, mtimeMs: -1, ctimeMs: -1 })
              return undefined
            }
          },
        })
        if (task.pack) result.packages = packPackages(list)
        result.count = list.length
        const { keys, ids } = numbering.keysOf(list)
        // As the cache stores them, UTF-8 made here: the main thread would make a string of ~2.7 KB a file and a buffer of it, only to store them.
        result.keys = keys === '' ? NO_KEYS : utf8.encode(keys)
        result.ids = ids
      } catch (err) {
        result.error = `${parser.id}: ${(err as Error).message}`
      }
    }
  }
  if (task.secrets && scanner) {
    result.secrets = scanner.scanBuffer(bytes, task.rel)
    result.secretsScanned = true
  }
  return result
}

/** Examines a batch of files on this thread (a worker's task; the scanner's own thread for small trees). */
export function examineBatch(tasks: FileTask[], examiner: Examiner): ExaminedBatch {
  const files = tasks.map((t) => examineFile(t, examiner))
  return { thread: examiner.thread, fresh: examiner.numbering.takeFresh(), files }
}

export default function examineWorkerBatch(tasks: FileTask[]): ExaminedBatch {
  return examineBatch(tasks, { scanner: secretScanner, numbering, thread: threadId })
}
