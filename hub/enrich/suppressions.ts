// Which findings VEX statements suppress. A statement is about a finding when its
// vulnerability name or an alias is the finding's rule or one of its aliases, and one of
// its products covers the finding (none listed: every product):
//   - a purl covers a package finding of that type, namespace and name, and that version
//     when the purl has one (qualifiers and subpath are ignored);
//   - `urn:zerotrace:agent:<id>` covers the agent's findings; with subcomponents, only
//     those of the packages they name;
//   - `urn:zerotrace:finding:<id>` covers that one finding;
//   - another product id with purl subcomponents (an image, an application) covers the
//     subcomponents' packages on any agent.
// Of the statements about a finding, the latest (by timestamp; later in the list on a tie)
// decides, as OpenVEX says a newer statement supersedes an older one; an expired statement
// does not count at all. The finding is suppressed when that statement is `not_affected`.
import { purlOf } from '../../protocol/index.ts'
import { AGENT_URN, FINDING_URN, type VexProduct, type VexStatement } from './openvex.ts'

export interface SuppressibleFinding {
  id: string
  rule: string
  aliases?: string[]
  ecosystem?: string
  package?: string
  version?: string
  /** The agent whose finding it is (for agent-scoped statements). */
  agent?: string
}

export interface Suppression {
  /** The statement's id. */
  statement: string
  justification?: string
  impactStatement?: string
  expires?: string
}

/** `pkg:type/ns/name` (decoded; PyPI names normalised) and the version, or undefined. */
function purlParts(purl: string): { base: string, version?: string } | undefined {
  let s = purl.replace(/[#?].*$/, '')
  if (!s.startsWith('pkg:')) return undefined
  const at = s.lastIndexOf('@')
  let version: string | undefined
  if (at > s.lastIndexOf('/')) { version = s.slice(at + 1); s = s.slice(0, at) }
  try {
    s = decodeURIComponent(s)
    version = version === undefined ? undefined : decodeURIComponent(version)
  } catch {
    return undefined
  }
  if (s.startsWith('pkg:pypi/')) s = 'pkg:pypi/' + s.slice(9).toLowerCase().replace(/[-_.]+/g, '-')
  return { base: s.replace(/^pkg:\/*/, 'pkg:'), ...(version ? { version } : {}) }
}

const findingPurl = new WeakMap<SuppressibleFinding, string | null>()

function purlCovers(purl: string, f: SuppressibleFinding): boolean {
  if (f.ecosystem === undefined || f.package === undefined) return false
  let own = findingPurl.get(f)
  if (own === undefined) {
    const p = purlOf(f.ecosystem, f.package, '')
    own = p === undefined ? null : purlParts(p)?.base ?? null
    findingPurl.set(f, own)
  }
  const want = purlParts(purl)
  return own !== null && want !== undefined && want.base === own && (want.version === undefined || want.version === f.version)
}

function covers(p: VexProduct, f: SuppressibleFinding): boolean {
  const subs = p.subcomponents ?? []
  const subOk = () => subs.length === 0 || subs.some((s) => s.purl !== undefined && purlCovers(s.purl, f))
  if (p.id.startsWith(FINDING_URN)) return p.id.slice(FINDING_URN.length) === f.id
  if (p.id.startsWith(AGENT_URN)) return f.agent !== undefined && p.id.slice(AGENT_URN.length) === f.agent && subOk()
  if (subs.length > 0) return subOk()
  return p.purl !== undefined && purlCovers(p.purl, f)
}

const instant = (t: string | undefined) => (t === undefined ? -Infinity : Date.parse(t))

/** Statements indexed for applySuppressions; build once, apply to many findings. */
export function indexStatements(statements: readonly VexStatement[]): Map<string, VexStatement[]> {
  const byVuln = new Map<string, VexStatement[]>()
  for (const s of statements) {
    for (const name of new Set([s.vulnerability, ...s.aliases].map((n) => n.toUpperCase()))) {
      let list = byVuln.get(name)
      if (!list) byVuln.set(name, (list = []))
      list.push(s)
    }
  }
  return byVuln
}

/** The suppression of one finding at `now` (ms), or undefined. */
export function suppressionOf(f: SuppressibleFinding, index: Map<string, VexStatement[]>, now: number): Suppression | undefined {
  let decisive: VexStatement | undefined
  for (const name of new Set([f.rule, ...(f.aliases ?? [])].map((n) => n.toUpperCase()))) {
    for (const s of index.get(name) ?? []) {
      if (s.expires !== undefined && instant(s.expires) <= now) continue
      if (s.products.length > 0 && !s.products.some((p) => covers(p, f))) continue
      if (decisive === undefined || instant(s.timestamp) >= instant(decisive.timestamp)) decisive = s
    }
  }
  if (decisive?.status !== 'not_affected') return undefined
  return {
    statement: decisive.id,
    ...(decisive.justification ? { justification: decisive.justification } : {}),
    ...(decisive.impactStatement ? { impactStatement: decisive.impactStatement } : {}),
    ...(decisive.expires ? { expires: decisive.expires } : {}),
  }
}

/**
 * Marks the findings the statements suppress at `now` (ms): a suppressed finding comes back
 * as a copy with `suppressed`; the others are returned as they are. Pure.
 */
export function applySuppressions<T extends SuppressibleFinding>(findings: readonly T[], statements: readonly VexStatement[], now: number): (T & { suppressed?: Suppression })[] {
  if (statements.length === 0) return [...findings]
  const index = indexStatements(statements)
  return findings.map((f) => {
    const s = suppressionOf(f, index, now)
    return s ? { ...f, suppressed: s } : f
  })
}
