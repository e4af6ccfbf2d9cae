// Where advisories come from on disk: an OSV all.zip, a folder of .json files, a .jsonl file
// or a single .json (a record or an array of them). Yields parsed JSON one record at a time,
// with where it came from, so a broken record is reported and skipped, never fatal.
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { unzipSync } from 'fflate'
import fg from 'fast-glob'
import { AdvisoryError } from '../errors.ts'

export type SourceItem = { where: string, json: unknown } | { where: string, error: string }

function parseJson(text: string, where: string): SourceItem {
  try {
    return { where, json: JSON.parse(text) }
  } catch (err) {
    return { where, error: `not JSON: ${(err as Error).message}` }
  }
}

async function* jsonl(path: string): AsyncGenerator<SourceItem> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
  let n = 0
  for await (const line of lines) {
    n++
    if (line.trim() === '') continue
    yield parseJson(line, `line ${n}`)
  }
}

function* jsonDocument(text: string, where: string): Generator<SourceItem> {
  const item = parseJson(text, where)
  if ('json' in item && Array.isArray(item.json)) {
    for (let i = 0; i < item.json.length; i++) yield { where: `${where}[${i}]`, json: item.json[i] }
  } else yield item
}

export async function* readSource(path: string): AsyncGenerator<SourceItem> {
  const st = await stat(path).catch(() => undefined)
  if (!st) throw new AdvisoryError('bad-source', `${path}: no such file or folder`)
  if (st.isDirectory()) {
    for (const rel of (await fg('**/*.json', { cwd: path })).sort()) yield* jsonDocument(await readFile(`${path}/${rel}`, 'utf8'), rel)
    return
  }
  if (path.endsWith('.jsonl') || path.endsWith('.ndjson')) { yield* jsonl(path); return }
  if (path.endsWith('.zip')) {
    let files: Record<string, Uint8Array>
    try {
      files = unzipSync(new Uint8Array(await readFile(path)), { filter: (f) => f.name.endsWith('.json') })
    } catch (err) {
      throw new AdvisoryError('bad-source', `${path}: not a readable zip (${(err as Error).message})`)
    }
    const decoder = new TextDecoder()
    for (const name of Object.keys(files).sort()) yield* jsonDocument(decoder.decode(files[name]), name)
    return
  }
  if (path.endsWith('.json')) { yield* jsonDocument(await readFile(path, 'utf8'), path); return }
  throw new AdvisoryError('bad-source', `${path}: expected an OSV all.zip, a folder of .json files, or a .jsonl file`)
}
