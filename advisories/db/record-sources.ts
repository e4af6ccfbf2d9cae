// Where advisories come from on disk: an OSV all.zip, a folder of .json files (searched
// recursively), a .jsonl file (one document per line, streamed, never read whole) or a
// single .json. Yields every record validated, or an error saying where it was and why,
// one at a time so an import of any size runs in bounded memory.
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import fg from 'fast-glob'
import { AdvisoryError } from '../errors.ts'
import { decodeRecords, type DecodedItem } from './record-formats.ts'
import { zipEntries } from './zip-entries.ts'

/** Larger documents are refused unread: the largest real OSV record is well under 2 MiB. */
const MAX_DOCUMENT_BYTES = 32 << 20

const utf8 = new TextDecoder('utf-8', { fatal: true })

function* decodeText(text: string, where: string): Generator<DecodedItem> {
  if (text.length > MAX_DOCUMENT_BYTES) { yield { where, error: `larger than ${MAX_DOCUMENT_BYTES} bytes` }; return }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    yield { where, error: `not JSON: ${(err as Error).message}` }
    return
  }
  yield* decodeRecords(json, where)
}

function* decodeBytes(bytes: Uint8Array, where: string): Generator<DecodedItem> {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    yield { where, error: 'not UTF-8 text' }
    return
  }
  yield* decodeText(text, where)
}

async function* jsonLines(path: string, signal?: AbortSignal): AsyncGenerator<DecodedItem> {
  const input = createReadStream(path, { encoding: 'utf8', signal })
  const lines = createInterface({ input, crlfDelay: Infinity })
  let n = 0
  try {
    for await (const line of lines) {
      n++
      if (line.trim() === '') continue
      yield* decodeText(line, `line ${n}`)
    }
  } finally {
    lines.close()
    input.destroy()
  }
}

/** Records of an OSV all.zip, a folder of .json, a .jsonl or a .json file; AdvisoryError `bad-source` for anything else. */
export async function* readSource(path: string, signal?: AbortSignal): AsyncGenerator<DecodedItem> {
  const st = await stat(path).catch(() => undefined)
  if (!st) throw new AdvisoryError('bad-source', `${path}: no such file or folder`)
  if (st.isDirectory()) {
    const files = (await fg('**/*.json', { cwd: path, onlyFiles: true, followSymbolicLinks: false })).sort()
    for (const rel of files) {
      signal?.throwIfAborted()
      const bytes = await readFile(join(path, rel), { signal }).catch((err: Error) => err)
      if (bytes instanceof Error) yield { where: rel, error: `unreadable: ${bytes.message}` }
      else yield* decodeBytes(bytes, rel)
    }
    return
  }
  if (/\.(jsonl|ndjson)$/i.test(path)) { yield* jsonLines(path, signal); return }
  if (/\.zip$/i.test(path)) {
    for await (const entry of zipEntries(path, (name) => name.toLowerCase().endsWith('.json'))) {
      signal?.throwIfAborted()
      if ('error' in entry) yield { where: entry.name, error: entry.error }
      else yield* decodeBytes(entry.data, entry.name)
    }
    return
  }
  if (/\.json$/i.test(path)) {
    if (st.size > MAX_DOCUMENT_BYTES) throw new AdvisoryError('bad-source', `${path}: larger than ${MAX_DOCUMENT_BYTES} bytes; use a .jsonl file or a folder`)
    yield* decodeBytes(await readFile(path, { signal }), path)
    return
  }
  throw new AdvisoryError('bad-source', `${path}: expected an OSV all.zip, a folder of .json files, a .jsonl file or a .json file`)
}
