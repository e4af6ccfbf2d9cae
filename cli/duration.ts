// Durations on the command line: `90d`, `12h`, `15m`, `30s`, `500ms`.
import { UsageError } from './errors.ts'

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 }

/** Milliseconds in a duration like `90d`; a UsageError naming the option when malformed. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(text.trim())
  if (!m) throw new UsageError(`--${option}: '${text}' is not a duration like 90d, 12h, 15m or 30s`)
  const ms = Number(m[1]) * UNITS[m[2]!]!
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`--${option}: duration must be positive`)
  return ms
}
