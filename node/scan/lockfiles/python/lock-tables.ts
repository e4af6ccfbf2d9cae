// The package entries of a TOML lockfile: the `[[package]]` (or `[[packages]]`) array of
// tables, each reduced to the keys its parser reads. A wanted key may be written inline
// (`source = { git = "…" }`), dotted (`source.git = "…"`) or as a sub-table
// (`[package.source]`); all three land in the entry the same way. Everything else is only
// walked past (toml-scanner.ts), which is what keeps large lockfiles cheap.
import { LockfileError } from '../parser.ts'
import { decodeTomlValue, scanToml } from './toml-scanner.ts'
import { newTable, setDotted, type TomlTable, type TomlValue } from './toml-table.ts'

export type { TomlTable, TomlValue } from './toml-table.ts'

export interface LockTablesSpec {
  /** Root key of the array of package tables: `package` (poetry, pdm, uv) or `packages` (PEP 751). */
  array: string
  /** Keys of an entry to keep. */
  keys: ReadonlySet<string>
  /** Keys of the root table to keep. */
  rootKeys?: ReadonlySet<string>
}

export interface LockTables {
  root: TomlTable
  entries: TomlTable[]
}

const NONE: ReadonlySet<string> = new Set()

export function readLockTables(input: string, format: string, spec: LockTablesSpec): LockTables {
  // A byte order mark is not TOML, but editors write one.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const root = newTable()
  const entries: TomlTable[] = []
  const rootKeys = spec.rootKeys ?? NONE
  let entry: TomlTable | undefined
  // Where the pairs of the current table go, and which of their keys are kept (all when undefined).
  let target: TomlTable | undefined = root
  let filter: ReadonlySet<string> | undefined = rootKeys

  scanToml(text, format, {
    table(path, array) {
      target = undefined
      if (path[0] !== spec.array) return
      if (path.length === 1) {
        if (!array) throw new LockfileError('bad-structure', `${format}: [${spec.array}] must be an array of tables ([[${spec.array}]])`)
        entry = newTable()
        entries.push(entry)
        target = entry
        filter = spec.keys
      } else if (!array && entry !== undefined && spec.keys.has(path[1]!)) {
        target = subTable(entry, path, format)
        filter = undefined
      }
    },
    pair(key, at, end) {
      if (target === undefined) return
      if (target === root && key.length === 1 && key[0] === spec.array) {
        for (const item of inlineEntries(decodeTomlValue(text, at, end, format), spec, format)) entries.push(item)
        return
      }
      if (filter !== undefined && !filter.has(key[0]!)) return
      setDotted(target, key, decodeTomlValue(text, at, end, format))
    },
  })
  return { root, entries }
}

/** The table `[array.key.more]` names inside the current entry, created as needed. */
function subTable(entry: TomlTable, path: string[], format: string): TomlTable {
  let t = entry
  for (let i = 1; i < path.length; i++) {
    const next = t[path[i]!]
    if (next === undefined) {
      const created = newTable()
      t[path[i]!] = created
      t = created
    } else if (isTable(next)) {
      t = next
    } else {
      throw new LockfileError('bad-structure', `${format}: [${path.join('.')}] redefines a value as a table`)
    }
  }
  return t
}

/** `package = [{…}, {…}]` written inline in the root table. */
function inlineEntries(value: TomlValue, spec: LockTablesSpec, format: string): TomlTable[] {
  if (!Array.isArray(value)) throw new LockfileError('bad-structure', `${format}: ${spec.array} must be an array of tables`)
  return value.map((item) => {
    if (!isTable(item)) throw new LockfileError('bad-structure', `${format}: ${spec.array} must be an array of tables`)
    const kept = newTable()
    for (const k of Object.keys(item)) if (spec.keys.has(k)) kept[k] = item[k]!
    return kept
  })
}

export function isTable(v: TomlValue | undefined): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// Typed reads of an entry's fields. A field of the wrong type means the file is not the format
// it claims to be: it is refused rather than half read.

export function stringField(t: TomlTable, key: string, format: string): string | undefined {
  const v = t[key]
  if (v === undefined || typeof v === 'string') return v
  throw new LockfileError('bad-structure', `${format}: ${key} must be a string`)
}

export function booleanField(t: TomlTable, key: string, format: string): boolean | undefined {
  const v = t[key]
  if (v === undefined || typeof v === 'boolean') return v
  throw new LockfileError('bad-structure', `${format}: ${key} must be true or false`)
}

export function stringsField(t: TomlTable, key: string, format: string): string[] | undefined {
  const v = t[key]
  if (v === undefined) return undefined
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
  throw new LockfileError('bad-structure', `${format}: ${key} must be an array of strings`)
}

export function tableField(t: TomlTable, key: string, format: string): TomlTable | undefined {
  const v = t[key]
  if (v === undefined || isTable(v)) return v
  throw new LockfileError('bad-structure', `${format}: ${key} must be a table`)
}

export function tablesField(t: TomlTable, key: string, format: string): TomlTable[] | undefined {
  const v = t[key]
  if (v === undefined) return undefined
  if (Array.isArray(v) && v.every(isTable)) return v as TomlTable[]
  throw new LockfileError('bad-structure', `${format}: ${key} must be an array of tables`)
}
