// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest'
import './zt-findings-table.ts'
import { ROW_HEIGHT, type ZtFindingsTable } from './zt-findings-table.ts'
import { XSS, mount, row, settle, shadow } from '../web.test-data.ts'

const table = async (rows = Array.from({ length: 100_000 }, (_, i) => row(i)), more = false) => {
  const el = document.createElement('zt-findings-table') as ZtFindingsTable
  el.rows = rows
  el.more = more
  return mount(el)
}
afterEach(() => { document.body.replaceChildren() })

describe('zt-findings-table', () => {
  it('renders a window of rows, not 100,000, over a spacer as tall as all of them', async () => {
    const el = await table()
    const rendered = shadow(el).querySelectorAll('.row')
    expect(rendered.length).toBeGreaterThan(5)
    expect(rendered.length).toBeLessThan(100)
    expect(shadow(el).querySelector<HTMLElement>('.spacer')!.style.height).toBe(`${100_000 * ROW_HEIGHT}px`)
    expect(shadow(el).querySelector('[role=listbox]')!.getAttribute('aria-label')).toMatch(/^Findings \(100000\)/)
  })

  it('renders a finding\'s title as text, never as markup', async () => {
    const el = await table([row(1, { title: XSS })])
    expect(shadow(el).querySelector('.row .title')!.textContent).toBe(XSS)
    expect(shadow(el).querySelector('img')).toBeNull()
  })

  it('moves the active row with the keyboard and opens it with Enter', async () => {
    const el = await table(Array.from({ length: 50 }, (_, i) => row(i)))
    const selected: string[] = []
    el.addEventListener('zt-select', (e) => selected.push((e as CustomEvent<{ id: string }>).detail.id))
    const vp = shadow(el).querySelector<HTMLElement>('.viewport')!
    for (const key of ['ArrowDown', 'ArrowDown', 'j', 'k', 'Enter']) vp.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
    await el.updateComplete
    expect(el.active).toBe(2)
    expect(selected).toEqual([row(2).id])
    expect(vp.getAttribute('aria-activedescendant')).toBe(`r-${row(2).id}`)
    vp.dispatchEvent(new KeyboardEvent('keydown', { key: 'End' }))
    expect(el.active).toBe(49)
    vp.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home' }))
    expect(el.active).toBe(0)
  })

  it('asks for the next page when the end of what is loaded comes near, and only when there is more', async () => {
    let asked = 0
    document.addEventListener('zt-load-more', () => asked++)
    await table(Array.from({ length: 10 }, (_, i) => row(i)), true)
    expect(asked).toBeGreaterThan(0)
    const before = asked
    const el = await table(Array.from({ length: 10 }, (_, i) => row(i)), false)
    await settle(el)
    expect(asked).toBe(before)
  })

  it('opens a row on click', async () => {
    const el = await table(Array.from({ length: 5 }, (_, i) => row(i)))
    const got = new Promise<string>((r) => el.addEventListener('zt-select', (e) => r((e as CustomEvent<{ id: string }>).detail.id)))
    shadow(el).querySelectorAll<HTMLElement>('.row')[3]!.click()
    expect(await got).toBe(row(3).id)
  })
})
