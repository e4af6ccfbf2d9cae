// A dependency installed from git is pinned to a commit, which every JavaScript lockfile
// spells somewhere in a URL: `git+ssh://…#<sha>`, Berry's `…#commit=<sha>`, GitHub's
// codeload tarballs `…/tar.gz/<sha>`, GitLab archives `…?ref=<sha>`, Bun's short `#<sha>`.
// Only git URLs count: a registry tarball's `#<sha1>` (yarn v1) is a checksum, not a commit.

const GIT_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org']
// Shorthands and schemes that always name a git repository.
const GIT_PREFIXES = ['git+', 'git:', 'git@', 'ssh:', 'github:', 'gitlab:', 'bitbucket:', 'gist:']

/** A commit-ish that is a hash: 7 (abbreviated, as Bun writes) to 40 hex digits. */
export function isCommitHash(s: string): boolean {
  if (s.length < 7 || s.length > 40) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false
  }
  return true
}

/** The host of `scheme://[user@]host[:port]/…`, lowercased; '' when the URL has no authority. */
function hostOf(url: string): string {
  const s = url.indexOf('://')
  if (s === -1) return ''
  let end = s + 3
  while (end < url.length && url[end] !== '/' && url[end] !== '?' && url[end] !== '#') end++
  let host = url.slice(s + 3, end)
  const at = host.lastIndexOf('@')
  if (at !== -1) host = host.slice(at + 1)
  const colon = host.indexOf(':')
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase()
}

function isGitUrl(url: string, beforeFragment: string): boolean {
  for (const p of GIT_PREFIXES) if (url.startsWith(p)) return true
  if (url.startsWith('https://') || url.startsWith('http://')) {
    return beforeFragment.endsWith('.git') || GIT_HOSTS.includes(hostOf(url))
  }
  // npm's `owner/repo#ref` shorthand for GitHub.
  const slash = beforeFragment.indexOf('/')
  return slash > 0 && slash === beforeFragment.lastIndexOf('/') && !beforeFragment.includes(':') && !beforeFragment.startsWith('.')
}

/** The commit a git-sourced dependency is pinned to, if the reference names one. */
export function gitCommitOf(ref: string | undefined): string | undefined {
  if (!ref) return undefined
  const hash = ref.indexOf('#')
  if (hash !== -1) {
    if (!isGitUrl(ref, ref.slice(0, hash))) return undefined
    // `#<sha>`, `#commit=<sha>`, `#commit:<sha>`, `#commit=<sha>&workspace=…`
    for (const part of ref.slice(hash + 1).split('&')) {
      const value = part.startsWith('commit=') || part.startsWith('commit:') ? part.slice(7) : part
      if (isCommitHash(value)) return value
    }
    return undefined
  }
  const tar = ref.indexOf('/tar.gz/')
  if (tar !== -1 && hostOf(ref) === 'codeload.github.com') {
    const sha = ref.slice(tar + 8)
    return isCommitHash(sha) ? sha : undefined
  }
  const q = ref.indexOf('?')
  if (q !== -1 && GIT_HOSTS.includes(hostOf(ref))) {
    for (const param of ref.slice(q + 1).split('&')) {
      if (param.startsWith('ref=') && isCommitHash(param.slice(4))) return param.slice(4)
    }
  }
  return undefined
}
