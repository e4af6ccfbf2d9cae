// Packages in bulk, between the parse workers, the scan cache and the main thread: msgpack
// with records (each buffer self-describing), which decodes several times faster than
// structured cloning plain objects and is stored in the cache as is, never re-encoded.
// Parsers leave out the purl, which follows from ecosystem, name and version: packages get
// it here, as they leave the scanner (building it for bench:scan's 1.1M packages in the
// parse workers, and carrying it through the cache, cost the cold scan ~5%).
import { Packr } from 'msgpackr'
import { purlOf, type Package } from '../../protocol/index.ts'

const packr = new Packr({ useRecords: true, moreTypes: false, bundleStrings: false })

export function packPackages(list: Package[]): Uint8Array {
  return list.length === 0 ? EMPTY : new Uint8Array(packr.pack(list))
}

/** The packages of `packPackages`, each with its purl (where its ecosystem has a purl type). */
export function unpackPackages(bytes: Uint8Array): Package[] {
  if (bytes.length === 0) return []
  const list = new Packr({ useRecords: true }).unpack(bytes) as Package[]
  for (const p of list) {
    if (p.purl !== undefined) continue
    const purl = purlOf(p.ecosystem, p.name, p.version)
    if (purl !== undefined) p.purl = purl
  }
  return list
}

const EMPTY = new Uint8Array(0)

/**
 * What matching needs of a package, as one string: ecosystem/name/version(/source name/source
 * version). A file's distinct keys, one per line, stand for its packages in matching and in
 * the scan cache (key-numbering.ts), so a large tree is matched without decoding package objects.
 */
export function matchKey(p: Pick<Package, 'ecosystem' | 'name' | 'version' | 'sourceName' | 'sourceVersion'>): string {
  return p.sourceName === undefined && p.sourceVersion === undefined
    ? p.ecosystem + '\u0001' + p.name + '\u0001' + p.version
    : p.ecosystem + '\u0001' + p.name + '\u0001' + p.version + '\u0001' + (p.sourceName ?? '') + '\u0001' + (p.sourceVersion ?? '')
}

/** The package a match key stands for, at a path. */
export function packageOfKey(key: string, source: string): Package {
  const [ecosystem, name, version, sourceName, sourceVersion] = key.split('\u0001') as [string, string, string, string?, string?]
  const p: Package = { ecosystem, name, version, source }
  if (sourceName) p.sourceName = sourceName
  if (sourceVersion) p.sourceVersion = sourceVersion
  return p
}
