// Values that look like a secret's shape but are not secrets: documentation placeholders,
// template and format-string variables, repeated or sequential characters, file paths.
// Applied to every rule's match (the global allowlist).

const PLACEHOLDER_WORDS = /(?:^|[_-])example|placeholder|changeme|change_me|your[_-]?(?:api|token|key|secret|password)|dummy|redacted|insert[_-]?here|replace[_-]?me|<[^>]*>|\.\.\./i

const TEMPLATES = [
  /^\$\{[^}]*\}$/, // ${VAR}
  /^\$\(.*\)$/, // $(command)
  /^\$[A-Za-z_]\w*$/, // $VAR
  /^\$\d+$/, // $1
  /^\$?\{\{.*\}\}$/, // {{ ansible }}, ${{ github actions }}
  /^%[A-Za-z_]\w*%$/, // %WINDOWS_VAR%
  /^#\{.*\}$/, // #{ruby}
  /^@[A-Za-z_]\w*@$/, // @autoconf@
  /^%[-+# 0]*\d*(?:\.\d+)?[A-Za-z]$/, // printf verbs: %s, %-s, %#v, % d
  /^\{\d*\}$/, // python format fields: {}, {0}
  /^\/(?:[\w.@-]+\/)*[\w.@-]+\/?$/, // absolute file paths
]

const LITERALS = new Set(['true', 'false', 'null', 'none', 'nil', 'undefined', 'yes', 'no'])

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', 'zyxwvutsrqponmlkjihgfedcba', '0123456789', '9876543210', 'qwertyuiop', 'asdfghjkl']

/** Whether a candidate secret value is a placeholder, a template or a trivial pattern. */
export function isPlaceholder(value: string): boolean {
  if (LITERALS.has(value.toLowerCase())) return true
  if (TEMPLATES.some((re) => re.test(value))) return true
  if (PLACEHOLDER_WORDS.test(value) || value.includes('EXAMPLE')) return true
  // xxxxx / XXXXX fill-ins; a mixed-case run (xXxXx) happens in real random tokens.
  if (value.includes('xxxxx') || value.includes('XXXXX')) return true
  const lower = value.toLowerCase()
  // One character repeated (aaaa…, ****…, BBBbBB…).
  if (lower.length > 1 && [...lower].every((c) => c === lower[0])) return true
  return sequenceCoverage(lower) >= 0.5
}

/** Share of the value covered by runs of 6+ characters taken from a keyboard or alphabet sequence. */
function sequenceCoverage(lower: string): number {
  let covered = 0
  let i = 0
  while (i < lower.length) {
    let best = 0
    for (const seq of SEQUENCES) {
      const at = seq.indexOf(lower[i]!)
      if (at === -1) continue
      let n = 0
      while (i + n < lower.length && at + n < seq.length && lower[i + n] === seq[at + n]) n++
      if (n > best) best = n
    }
    if (best >= 6) { covered += best; i += best } else i++
  }
  return covered / lower.length
}
