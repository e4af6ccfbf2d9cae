import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { walkTree } from './tree-listing.ts'

const later = Date.now() + 60_000
const sorted = (xs: string[]) => [...xs].sort()

describe('walkTree', () => {
  it('lists again a directory whose stamp holds but whose recorded file is gone, dropping what it gave, and keeps the rest', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zt-tree-'))
    for (const d of ['a', 'a/b', 'c']) await mkdir(join(root, d), { recursive: true })
    for (const f of ['a/go.mod', 'a/b/Cargo.lock', 'c/go.mod', 'top.lock']) await writeFile(join(root, f), '')
    const first = walkTree(root, [], undefined, later)
    // As if the last walk had read a file in `a` that is gone while `a`'s stamp still holds.
    const previous = first.records.map((r) => (r.rel === 'a' ? { ...r, files: [...r.files, 'ghost.lock'] } : r))
    const again = walkTree(root, [], previous, later)
    expect(sorted(again.files.map((f) => f.rel))).toEqual(sorted(first.files.map((f) => f.rel)))
    expect(again.files.filter((f) => f.rel === 'a/go.mod')).toHaveLength(1)
    // `a` and what is under it were listed again; `c` and the root were kept.
    expect(first.listed).toBe(4)
    expect(again.listed).toBe(2)
    expect(sorted(again.records.map((r) => r.rel))).toEqual(sorted(first.records.map((r) => r.rel)))
  })
})
