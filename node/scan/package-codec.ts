// Packages in bulk, between the parse workers, the scan cache and the main thread: msgpack
// with records (each buffer self-describing), which decodes several times faster than
// structured cloning plain objects and is stored in the cache as is, never re-encoded.
import { Packr } from 'msgpackr'
import type { Package } from '../../protocol/index.ts'

const packr = new Packr({ useRecords: true, moreTypes: false, bundleStrings: false })

export function packPackages(list: Package[]): Uint8Array {
  return list.length === 0 ? EMPTY : new Uint8Array(packr.pack(list))
}

export function unpackPackages(bytes: Uint8Array): Package[] {
  return bytes.length === 0 ? [] : (new Packr({ useRecords: true }).unpack(bytes) as Package[])
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
