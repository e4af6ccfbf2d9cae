// /etc/os-release (and /etc/alpine-release): which distribution and release a package
// database belongs to, since OSV files OS advisories per release (`Debian:12`, `Alpine:v3.20`).

/** KEY=value pairs; values may be quoted (shell-style) per os-release(5). */
export function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line.length === 0 || line.charCodeAt(0) === 35) continue
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    let value = line.slice(eq + 1).trim()
    const q = value[0]
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1)
      if (q === '"') value = value.replace(/\\(["\\$`])/g, '$1')
    }
    out.set(line.slice(0, eq).trim(), value)
  }
  return out
}

/**
 * `Debian:12`, `Ubuntu:22.04`, or the bare distribution when the release is unknown
 * (Debian testing/sid carry no VERSION_ID). Derivatives count as the distribution they name
 * in ID_LIKE, without a release: theirs does not number Debian's or Ubuntu's.
 */
export function debianEcosystem(osRelease: string | undefined): string {
  if (osRelease === undefined) return 'Debian'
  const fields = parseOsRelease(osRelease)
  const id = fields.get('ID')?.toLowerCase()
  const versionId = fields.get('VERSION_ID')
  if (id === 'debian' || id === 'ubuntu') {
    const name = id === 'debian' ? 'Debian' : 'Ubuntu'
    return versionId ? `${name}:${versionId}` : name
  }
  const like = (fields.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/)
  return like.includes('ubuntu') ? 'Ubuntu' : 'Debian'
}

/** `3.20.3` → `Alpine:v3.20`; `Alpine` when no release can be read. */
export function alpineEcosystem(alpineRelease: string | undefined, osRelease: string | undefined): string {
  const version = alpineRelease?.trim() || (osRelease === undefined ? undefined : parseOsRelease(osRelease).get('VERSION_ID'))
  if (!version) return 'Alpine'
  const firstDot = version.indexOf('.')
  if (firstDot <= 0) return 'Alpine'
  let end = firstDot + 1
  while (end < version.length && version.charCodeAt(end) >= 48 && version.charCodeAt(end) <= 57) end++
  const major = version.slice(0, firstDot)
  if (end === firstDot + 1 || !/^\d+$/.test(major)) return 'Alpine'
  return `Alpine:v${major}.${version.slice(firstDot + 1, end)}`
}
