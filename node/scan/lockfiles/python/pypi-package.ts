// What every Python parser builds: a PyPI Package; and one TOML reader for the TOML locks.
import { parse as parseToml } from 'smol-toml'
import type { Package } from '../../../../protocol/index.ts'
import { makePackage, type PackageExtras } from '../make-package.ts'
import { LockfileError } from '../parser.ts'

export function pypiPackage(name: string, version: string, source: string, extra: PackageExtras = {}): Package {
  return makePackage('PyPI', name, version, source, extra)
}

export type TomlTable = Record<string, unknown>

export function readToml(text: string, format: string): TomlTable {
  try {
    return parseToml(text) as TomlTable
  } catch (err) {
    throw new LockfileError('bad-syntax', `${format}: not valid TOML: ${(err as Error).message.split('\n')[0]}`, { cause: err })
  }
}

export function tables(value: unknown, format: string, key: string): TomlTable[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new LockfileError('bad-structure', `${format}: ${key} is not an array of tables`)
  return value.filter((v): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v))
}

export const str = (t: TomlTable, k: string): string | undefined => (typeof t[k] === 'string' ? (t[k] as string) : undefined)
