// The theme's colour pairs meet WCAG 2.2 AA in light and dark: text on its backgrounds at
// 4.5:1 (1.4.3; badges are small bold text, so the same), the focus ring at 3:1 against the
// surfaces it sits on (1.4.11). Read from web/theme.css itself, so a changed token is checked.
import { describe, it, expect } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const WEB = import.meta.dirname
const CSS = readFileSync(join(WEB, 'theme.css'), 'utf8')

/** The custom properties of the first `:root { … }` after `from` in the stylesheet. */
function tokens(from: number): Record<string, string> {
  const start = CSS.indexOf(':root', from)
  const body = CSS.slice(CSS.indexOf('{', start) + 1, CSS.indexOf('}', start))
  return Object.fromEntries([...body.matchAll(/--([\w-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]))
}
const LIGHT = tokens(0)
const DARK = { ...LIGHT, ...tokens(CSS.indexOf('prefers-color-scheme: dark')) }

/** WCAG relative luminance of #rgb / #rrggbb. */
function luminance(hex: string): number {
  const h = hex.replace('#', '')
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h
  if (!/^[0-9a-f]{6}$/i.test(full)) throw new Error(`not a hex colour: ${hex}`)
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(full.slice(i, i + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

/** [text, background]: every way the elements put a text token on a surface token. */
const TEXT: [string, string][] = [
  ...['bg', 'bg-raised', 'bg-hover', 'bg-active'].flatMap((bg) => [['fg', bg], ['fg-muted', bg], ['link', bg], ['danger', bg], ['ok', bg], ['warn', bg]] as [string, string][]),
  ['accent-fg', 'accent'], ['danger-fg', 'danger'], ['banner-fg', 'banner-bg'],
  ['sev-fg', 'sev-critical'], ['sev-fg', 'sev-high'], ['sev-medium-fg', 'sev-medium'], ['sev-fg', 'sev-low'], ['sev-fg', 'sev-unknown'],
]
const NON_TEXT: [string, string][] = [['focus', 'bg'], ['focus', 'bg-raised'], ['focus', 'bg-active']]

describe('theme contrast', () => {
  it('has the same tokens in light and dark', () => {
    expect(Object.keys(tokens(CSS.indexOf('prefers-color-scheme: dark'))).filter((k) => !k.startsWith('font') && k !== 'mono').sort())
      .toEqual(Object.keys(LIGHT).filter((k) => !['font', 'mono'].includes(k) && LIGHT[k]!.startsWith('#')).sort())
  })

  for (const [name, theme] of [['light', LIGHT], ['dark', DARK]] as const) {
    it(`${name}: text pairs reach 4.5:1, the focus ring 3:1`, () => {
      const low: string[] = []
      for (const [fg, bg] of TEXT) {
        const r = contrast(theme[fg]!, theme[bg]!)
        if (!(r >= 4.5)) low.push(`--${fg} on --${bg}: ${r.toFixed(2)}`)
      }
      for (const [fg, bg] of NON_TEXT) {
        const r = contrast(theme[fg]!, theme[bg]!)
        if (!(r >= 3)) low.push(`--${fg} against --${bg}: ${r.toFixed(2)}`)
      }
      expect(low).toEqual([])
    })
  }

  it('computes contrast as WCAG does', () => {
    expect(contrast('#000', '#fff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })

  it('elements take colours from the theme, not hex literals that escape this check', () => {
    const dir = join(WEB, 'elements')
    const literal = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/(?:color|background|fill|stroke|border-color)\s*:\s*#[0-9a-f]{3,6}\b/gi)].map((m) => `${f}: ${m[0]}`))
    expect(literal).toEqual([])
  })
})
