import { describe, it, expect } from 'vitest'
import { chmod, mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { discover, type ListingStore } from './discovery.ts'

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'zt-disc-'))
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(join(root, rel, '..'), { recursive: true })
    await writeFile(join(root, rel), content)
  }
  return root
}

describe('discovery', () => {
  it('walks the tree, leaving out node_modules, vendor, .git and --exclude globs', async () => {
    const root = await tree({
      'app/package-lock.json': '{}', 'app/node_modules/x/package-lock.json': '{}', 'vendor/y/go.mod': '',
      '.git/config': '', 'svc/go.mod': '', 'docs/notes.md': '', 'build/out.txt': '',
    })
    const { files } = await discover([root], { exclude: ['build/**'] })
    expect(files.map((f) => f.rel).sort()).toEqual(['app/package-lock.json', 'docs/notes.md', 'svc/go.mod'])
  })

  it('follows symlinks once and never round a loop', async () => {
    const root = await tree({ 'a/go.mod': 'module a', 'outside/requirements.txt': 'flask==2.0.1' })
    await symlink(join(root, 'a'), join(root, 'a/loop'))
    await symlink('..', join(root, 'a/up'))
    const other = await tree({ 'lib/Cargo.lock': '' })
    await symlink(join(other, 'lib'), join(root, 'linked'))
    const { files } = await discover([join(root)])
    const rels = files.map((f) => f.rel).sort()
    expect(rels).toEqual(['a/go.mod', 'linked/Cargo.lock', 'outside/requirements.txt'])
  })

  it('skips oversize files and reports broken links and missing roots as warnings', async () => {
    const root = await tree({ 'big.txt': 'x'.repeat(2000), 'small.txt': 'x' })
    await symlink(join(root, 'nowhere'), join(root, 'dangling'))
    const { files, warnings } = await discover([root, join(root, 'missing')], { maxFileSize: 1000 })
    expect(files.map((f) => f.rel)).toEqual(['small.txt'])
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/over the 1000-byte limit[\s\S]*broken symlink[\s\S]*cannot scan/)
  })
})

describe('discovery with a listing kept between walks', () => {
  /** The listing store in memory, counting writes. */
  function memoryListings(): ListingStore & { puts: number } {
    const held = new Map<string, Uint8Array>()
    return {
      puts: 0,
      async get(root) { return held.get(root) },
      async put(root, listing) { this.puts++; held.set(root, listing) },
    }
  }
  // Stamps from a minute ago are past the racy window; the tests' changes come a clock tick
  // (a few ms) after what they change was written, so each moves its directory's stamp.
  const later = () => Date.now() + 60_000
  const tick = () => new Promise((r) => setTimeout(r, 20))
  const rels = (d: { files: { rel: string }[] }) => d.files.map((f) => f.rel).sort()

  it('reads no directory of an unchanged tree, and finds what a full walk finds', async () => {
    const root = await tree({ 'a/b/go.mod': '', 'a/c/package-lock.json': '{}', 'd/requirements.txt': '', 'x.txt': '', 'a/node_modules/y/go.mod': '' })
    const listings = memoryListings()
    const first = await discover([root], { listings, now: later })
    expect(first.listed).toBe(5)
    const second = await discover([root], { listings, now: later })
    expect(second.listed).toBe(0)
    expect(listings.puts).toBe(1)
    expect(second.files.sort((a, b) => a.rel.localeCompare(b.rel))).toEqual(first.files.sort((a, b) => a.rel.localeCompare(b.rel)))
    expect(rels(second)).toEqual(rels(await discover([root])))
  })

  it('sees files added, removed, renamed and grown, reading only the changed directories', async () => {
    const root = await tree({ 'a/b/go.mod': '', 'a/c/package-lock.json': '{}', 'a/gone/x/requirements.txt': '', 'keep/Cargo.lock': 'x' })
    const listings = memoryListings()
    await discover([root], { listings, now: later })
    await tick()
    await writeFile(join(root, 'a/b/go.sum'), '')
    await rm(join(root, 'a/gone'), { recursive: true })
    await rename(join(root, 'a/c/package-lock.json'), join(root, 'a/c/yarn.lock'))
    await mkdir(join(root, 'a/b/node_modules/z'), { recursive: true })
    await writeFile(join(root, 'a/b/node_modules/z/go.mod'), '')
    await writeFile(join(root, 'keep/Cargo.lock'), 'x'.repeat(2000))
    const d = await discover([root], { listings, now: later, maxFileSize: 1000 })
    expect(rels(d)).toEqual(['a/b/go.mod', 'a/b/go.sum', 'a/c/yarn.lock'])
    expect(d.warnings.map((w) => w.path)).toEqual(['keep/Cargo.lock'])
    // a (an entry went) with all under it; not the root, keep, or node_modules.
    expect(d.listed).toBe(3)
    expect(rels(d)).toEqual(rels(await discover([root], { maxFileSize: 1000 })))
  })

  it('lists again a changed directory whose path would read as a glob', async () => {
    // (Names with a backslash fast-glob cannot walk at all: it takes it for a separator; below.)
    const names = ['+(b)', '@(a)', 'br[ck]t', 'cu{r,l}y', '!x', 'a*b?']
    const root = await tree(Object.fromEntries(names.map((n) => [`${n}/in/go.mod`, ''])))
    const listings = memoryListings()
    await discover([root], { listings, now: later })
    await tick()
    for (const n of names) await writeFile(join(root, n, 'in', 'go.sum'), '')
    const d = await discover([root], { listings, now: later })
    expect(rels(d)).toEqual(names.flatMap((n) => [`${n}/in/go.mod`, `${n}/in/go.sum`]).sort())
    expect(rels(await discover([root], { listings, now: later }))).toEqual(rels(d))
  })

  it('reports, on every walk, what a backslash in a name keeps it from naming', async () => {
    const root = await tree({ 'back\\slash/go.mod': '', 'ok/go.mod': '' })
    const listings = memoryListings()
    for (let i = 0; i < 2; i++) {
      const d = await discover([root], { listings, now: later })
      expect(rels(d)).toEqual(['ok/go.mod'])
      expect(d.warnings.map((w) => w.path)).toEqual(['back/slash/go.mod'])
    }
  })

  it('sees a directory turned into a file, and a file into a directory', async () => {
    const root = await tree({ 'a/b/go.mod': '', 'c': '' })
    const listings = memoryListings()
    await discover([root], { listings, now: later })
    await tick()
    await rm(join(root, 'a'), { recursive: true })
    await writeFile(join(root, 'a'), '')
    await rm(join(root, 'c'))
    await mkdir(join(root, 'c'))
    await writeFile(join(root, 'c/go.mod'), '')
    expect(rels(await discover([root], { listings, now: later }))).toEqual(['a', 'c/go.mod'])
  })

  it('lists everything again when --exclude changes, and follows links added, retargeted or changed behind', async () => {
    const root = await tree({ 'app/go.mod': '', 'build/out/go.mod': '' })
    const outside = await tree({ 'one/Cargo.lock': '', 'two/Gemfile.lock': '' })
    const listings = memoryListings()
    expect(rels(await discover([root], { listings, now: later, exclude: ['build/**'] }))).toEqual(['app/go.mod'])
    expect(rels(await discover([root], { listings, now: later }))).toEqual(['app/go.mod', 'build/out/go.mod'])
    await tick()
    await symlink(join(outside, 'one'), join(root, 'app/lib'))
    await symlink(root, join(root, 'app/loop'))
    expect(rels(await discover([root], { listings, now: later }))).toEqual(['app/go.mod', 'app/lib/Cargo.lock', 'build/out/go.mod'])
    await tick()
    await writeFile(join(outside, 'one/go.mod'), '')
    expect(rels(await discover([root], { listings, now: later }))).toEqual(['app/go.mod', 'app/lib/Cargo.lock', 'app/lib/go.mod', 'build/out/go.mod'])
    await rm(join(root, 'app/lib'))
    await symlink(join(outside, 'two'), join(root, 'app/lib'))
    const retargeted = await discover([root], { listings, now: later })
    expect(rels(retargeted)).toEqual(['app/go.mod', 'app/lib/Gemfile.lock', 'build/out/go.mod'])
    expect(rels(await discover([root], { listings, now: later }))).toEqual(rels(retargeted))
  })

  it('does not trust the stamp of a directory changed within the racy window', async () => {
    const root = await tree({ 'a/go.mod': '' })
    const listings = memoryListings()
    await discover([root], { listings })
    // Just written: a second change in the same clock tick would keep the stamps, so both are read again.
    expect((await discover([root], { listings })).listed).toBe(2)
    expect((await discover([root], { listings, now: later })).listed).toBe(2)
    expect((await discover([root], { listings, now: later })).listed).toBe(0)
  })

  it.skipIf(process.getuid?.() === 0)('reports an unreadable directory on every walk, not only the first', async () => {
    const root = await tree({ 'open/go.mod': '', 'shut/go.mod': '' })
    await chmod(join(root, 'shut'), 0o000)
    try {
      const listings = memoryListings()
      for (let i = 0; i < 2; i++) {
        const d = await discover([root], { listings, now: later })
        expect(rels(d)).toEqual(['open/go.mod'])
        expect(d.warnings).toEqual([{ path: 'shut', message: 'unreadable directory' }])
      }
    } finally {
      await chmod(join(root, 'shut'), 0o755)
    }
  })
})
