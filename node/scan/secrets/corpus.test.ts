// The labelled gitleaks corpus (../shared/data/secrets): for every token family we claim,
// every true positive is found by the claiming rule and no false positive by any rule.
import { describe, it, expect } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSecretScanner, isPlaceholder } from './index.ts'
import { scoreFamilies, type LabelledCase } from './gitleaks-families.ts'

const DATA = join(import.meta.dirname, '../../../../shared/data/secrets')

describe.skipIf(!existsSync(DATA))('secret rules against ../shared/data/secrets (gitleaks cases)', () => {
  it('finds every true positive and no false positive in the families we claim', () => {
    const { cases } = JSON.parse(readFileSync(join(DATA, 'rule-cases.json'), 'utf8')) as { cases: LabelledCase[] }
    const scanner = createSecretScanner({ hmacKey: new Uint8Array(32) })
    const scores = [...scoreFamilies(cases, (t) => scanner.scan(t, 'config.txt')).values()]
    const tp = scores.reduce((n, s) => n + s.tp, 0)
    expect(tp).toBeGreaterThan(300)
    expect(scores.flatMap((s) => s.missed)).toEqual([])
    expect(scores.flatMap((s) => s.falseHits)).toEqual([])
  })

  it('the global allowlist suppresses exactly what it should', () => {
    const { cases } = JSON.parse(readFileSync(join(DATA, 'allowlist-cases.json'), 'utf8')) as { cases: Record<string, { invalid?: string[], valid?: string[] }> }
    const wrong: string[] = []
    for (const [name, c] of Object.entries(cases)) {
      for (const v of c.invalid ?? []) if (!isPlaceholder(v)) wrong.push(`${name}: not suppressed: ${v}`)
      for (const v of c.valid ?? []) if (isPlaceholder(v)) wrong.push(`${name}: wrongly suppressed: ${v}`)
    }
    expect(wrong).toEqual([])
  })
})
