import { describe, it, expect } from 'vitest'
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { discover } from './discovery.ts'

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
