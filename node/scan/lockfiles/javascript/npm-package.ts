// What every npm lockfile parser builds: an npm Package, with its git commit when the
// dependency was resolved from git.
import type { Package } from '../../../../protocol/index.ts'
import { makePackage, type PackageExtras } from '../make-package.ts'

const COMMIT = /^[0-9a-f]{40}$/

/** The commit in a git-resolved URL: `…#<sha>`, `…#commit=<sha>`, or codeload `…/tar.gz/<sha>`. */
export function commitOf(resolved: string | undefined): string | undefined {
  if (!resolved) return undefined
  const hash = resolved.lastIndexOf('#')
  if (hash !== -1) {
    const frag = resolved.slice(hash + 1).replace(/^commit=/, '')
    const m = /(?:^|[&=])([0-9a-f]{40})(?:$|&)/.exec(frag)
    if (m) return m[1]
    if (COMMIT.test(frag)) return frag
  }
  const tar = /\/tar\.gz\/([0-9a-f]{40})/.exec(resolved)
  return tar?.[1]
}

export function npmPackage(name: string, version: string, source: string, extra: PackageExtras = {}): Package {
  return makePackage('npm', name, version, source, extra)
}
