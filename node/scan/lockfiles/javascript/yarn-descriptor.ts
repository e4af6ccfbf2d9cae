// Yarn keys its entries by descriptors, `name@range`, several to an entry
// (`"a@^1.0.0", "a@^1.2.0"`), both in the classic and in the Berry format.

/** `@scope/name@range` → ['@scope/name', 'range']; a bare name has an empty range. */
export function splitDescriptor(descriptor: string): [string, string] {
  const at = descriptor.indexOf('@', 1)
  return at === -1 ? [descriptor, ''] : [descriptor.slice(0, at), descriptor.slice(at + 1)]
}

/** The package a descriptor installs: an alias `alias@npm:real@^1.2.3` installs `real`. */
export function packageNameOf(descriptor: string): string {
  const [name, range] = splitDescriptor(descriptor)
  if (range.startsWith('npm:')) {
    const at = range.indexOf('@', 5)
    if (at !== -1) return range.slice(4, at)
  }
  return name
}

/** The descriptors of an entry header (without its final `:`), unquoted. */
export function headerDescriptors(header: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < header.length) {
    while (header.charCodeAt(i) === 32) i++
    if (i >= header.length) break
    let end: number
    let value: string
    if (header[i] === '"' || header[i] === "'") {
      end = header.indexOf(header[i]!, i + 1)
      if (end === -1) end = header.length
      value = header.slice(i + 1, end)
      end = header.indexOf(',', end)
    } else {
      end = header.indexOf(',', i)
      value = header.slice(i, end === -1 ? header.length : end).trimEnd()
    }
    if (value) out.push(value)
    if (end === -1) break
    i = end + 1
  }
  return out
}
