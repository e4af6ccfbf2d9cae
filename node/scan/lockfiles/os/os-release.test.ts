import { describe, expect, it } from 'vitest'
import { alpineEcosystem, debianEcosystem, parseOsRelease } from './os-release.ts'

describe('os-release', () => {
  it('reads quoted and unquoted values, skipping comments', () => {
    const f = parseOsRelease('# c\nNAME="Debian GNU/Linux"\nVERSION_ID=\'12\'\nID=debian\nPRETTY="say \\"hi\\""\nbroken line\n')
    expect([f.get('NAME'), f.get('VERSION_ID'), f.get('ID'), f.get('PRETTY')]).toEqual(['Debian GNU/Linux', '12', 'debian', 'say "hi"'])
  })

  it('names Debian and Ubuntu releases as OSV does, and derivatives by their base alone', () => {
    expect(debianEcosystem('ID=debian\nVERSION_ID="12"\n')).toBe('Debian:12')
    expect(debianEcosystem('ID=ubuntu\nVERSION_ID="22.04"\n')).toBe('Ubuntu:22.04')
    expect(debianEcosystem('ID=debian\nVERSION_CODENAME=trixie\n')).toBe('Debian')
    expect(debianEcosystem('ID=linuxmint\nID_LIKE="ubuntu debian"\nVERSION_ID="21.2"\n')).toBe('Ubuntu')
    expect(debianEcosystem('ID=raspbian\nID_LIKE=debian\nVERSION_ID="11"\n')).toBe('Debian')
    expect(debianEcosystem(undefined)).toBe('Debian')
  })

  it('names Alpine releases by major.minor from alpine-release, else os-release', () => {
    expect(alpineEcosystem('3.20.3\n', undefined)).toBe('Alpine:v3.20')
    expect(alpineEcosystem(undefined, 'ID=alpine\nVERSION_ID=3.19.1\n')).toBe('Alpine:v3.19')
    expect(alpineEcosystem('3.21_alpha20240807\n', undefined)).toBe('Alpine:v3.21')
    expect(alpineEcosystem('edge\n', undefined)).toBe('Alpine')
    expect(alpineEcosystem(undefined, undefined)).toBe('Alpine')
  })
})
