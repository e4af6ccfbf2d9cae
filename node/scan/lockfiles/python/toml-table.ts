// TOML values as the reader hands them out, and the tables they are built into.
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable
export interface TomlTable { [key: string]: TomlValue }

/** A table without a prototype, so keys like `__proto__` are plain keys. */
export function newTable(): TomlTable {
  return Object.create(null) as TomlTable
}

/** Sets `a.b.c = value` in a table, creating the tables on the way. */
export function setDotted(table: TomlTable, key: readonly string[], value: TomlValue): void {
  let t = table
  for (let i = 0; i < key.length - 1; i++) {
    const next = t[key[i]!]
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      t = next
    } else {
      const created = newTable()
      t[key[i]!] = created
      t = created
    }
  }
  t[key[key.length - 1]!] = value
}
