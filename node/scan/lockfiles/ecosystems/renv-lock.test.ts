import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { renvLock } from './renv-lock.ts'

const parse = (doc: unknown) => renvLock.parse(typeof doc === 'string' ? doc : JSON.stringify(doc), { path: 'renv.lock', readRelative: () => undefined })

describe('renv-lock', () => {
  it('reads packages from CRAN and its Posit mirror, not from Bioconductor or GitHub', () => {
    const pkgs = parse({
      Packages: {
        markdown: { Package: 'markdown', Version: '1.0', Source: 'Repository', Repository: 'CRAN' },
        rlang: { Package: 'rlang', Version: '1.1.0', Source: 'Repository', Repository: 'RSPM' },
        BSgenome: { Package: 'BSgenome', Version: '1.60.0', Source: 'Bioconductor' },
        mime: { Package: 'mime', Version: '0.12.1', Source: 'GitHub', RemoteSha: 'abc' },
      },
    })
    expect(pkgs.map((p) => `${p.name}@${p.version}`)).toEqual(['markdown@1.0', 'rlang@1.1.0'])
    expect(pkgs[0]).toMatchObject({ ecosystem: 'CRAN', name: 'markdown', version: '1.0' })
  })

  it('names broken files', () => {
    const code = (doc: unknown) => { try { parse(doc) } catch (err) { return (err as LockfileError).code } }
    expect(code('{')).toBe('bad-syntax')
    expect(code({ Packages: [] })).toBe('bad-structure')
    expect(code({ Packages: { a: { Package: 'a', Repository: 'CRAN' } } })).toBe('bad-structure')
    expect(code({})).toBeUndefined()
  })
})
