// FIRST's EPSS daily file (https://www.first.org/epss/data_stats), read as a stream: a
// `#model_version:…,score_date:…` comment, the header `cve,epss,percentile`, then one line
// per CVE (~250,000 of them). Plain or gzip (told by the magic bytes, not the name). Every
// line comes out parsed or as an error naming it; nothing is held but the current line.
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { ENRICH_DEFAULTS } from './constants.ts'
import { EnrichError } from './errors.ts'

export interface EpssScore {
  /** Probability of exploitation activity in the next 30 days, 0–1. */
  epss: number
  /** Share of scored CVEs with a lower or equal probability, 0–1. */
  percentile: number
  /** The score date (YYYY-MM-DD) of the file it came from. */
  date: string
}

export interface EpssHeader { modelVersion?: string, scoreDate?: string }

export type EpssLine = { cve: string, epss: number, percentile: number } | { line: number, error: string }

export const CVE_ID = /^CVE-\d{4}-\d{4,}$/

/** Parses `#model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000`. */
export function parseEpssComment(line: string): EpssHeader {
  const out: EpssHeader = {}
  for (const part of line.replace(/^#/, '').split(',')) {
    const i = part.indexOf(':')
    if (i === -1) continue
    const key = part.slice(0, i).trim()
    const value = part.slice(i + 1).trim()
    if (key === 'model_version') out.modelVersion = value
    else if (key === 'score_date' && /^\d{4}-\d{2}-\d{2}/.test(value)) out.scoreDate = value.slice(0, 10)
  }
  return out
}

function probability(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*$/i.test(text)) return undefined
  const n = Number(text)
  return n >= 0 && n <= 1 ? n : undefined
}

/** One data line; `n` is its line number in the file. */
export function parseEpssLine(text: string, n: number): EpssLine {
  if (text.length > ENRICH_DEFAULTS.maxEpssLineChars) return { line: n, error: 'line too long' }
  const cols = text.split(',')
  if (cols.length !== 3) return { line: n, error: `expected 3 columns (cve,epss,percentile), found ${cols.length}` }
  const cve = cols[0]!.trim().toUpperCase()
  if (!CVE_ID.test(cve)) return { line: n, error: `not a CVE id: ${JSON.stringify(cols[0]!.slice(0, 40))}` }
  const epss = probability(cols[1])
  if (epss === undefined) return { line: n, error: `${cve}: epss is not a probability: ${JSON.stringify(cols[1]!.slice(0, 40))}` }
  const percentile = probability(cols[2])
  if (percentile === undefined) return { line: n, error: `${cve}: percentile is not in 0–1: ${JSON.stringify(cols[2]!.slice(0, 40))}` }
  return { cve, epss, percentile }
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r').catch((err: Error) => { throw new EnrichError('bad-source', `${path}: ${err.message}`, { cause: err }) })
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await fh.close()
  }
}

/**
 * The lines of an EPSS file: the header comes first through `onHeader`, then every data
 * line. EnrichError `bad-source` when the file cannot be read or lacks the `cve,epss,percentile` header.
 */
export async function* readEpss(path: string, opts: { signal?: AbortSignal, onHeader?: (h: EpssHeader) => void } = {}): AsyncGenerator<EpssLine> {
  const gz = await isGzip(path)
  const file = createReadStream(path, { signal: opts.signal })
  const input: Readable = gz ? file.pipe(createGunzip()) : file
  // A corrupt gzip stream errors the gunzip stream; readline would not see it.
  let failure: Error | undefined
  if (gz) file.on('error', (e) => input.destroy(e))
  input.on('error', (e) => { failure = e })
  const lines = createInterface({ input, crlfDelay: Infinity })
  let n = 0
  let header = false
  try {
    for await (const raw of lines) {
      n++
      const line = raw.trim()
      if (line === '') continue
      if (!header) {
        if (line.startsWith('#')) { opts.onHeader?.(parseEpssComment(line)); continue }
        if (/^cve\s*,\s*epss\s*,\s*percentile$/i.test(line)) { header = true; continue }
        throw new EnrichError('bad-source', `${path}: line ${n}: expected the EPSS header "cve,epss,percentile"`)
      }
      if (line.startsWith('#')) continue
      yield parseEpssLine(line, n)
    }
  } catch (err) {
    if (err instanceof EnrichError || (err as Error).name === 'AbortError') throw err
    throw new EnrichError('bad-source', `${path}: ${(err as Error).message}`, { cause: err })
  } finally {
    lines.close()
    input.destroy()
    file.destroy()
  }
  if (failure) throw new EnrichError('bad-source', `${path}: ${failure.message} after line ${n}`, { cause: failure })
  if (!header) throw new EnrichError('bad-source', `${path}: no EPSS header "cve,epss,percentile"`)
}
