// Yarn Berry (v2+) yarn.lock: YAML, one entry per resolved package keyed by the
// descriptors it satisfies, each with `version`, `resolution: name@protocol:reference`
// and its own `dependencies` (`dependenciesMeta` marks optional ones). Workspaces are
// entries too (`name@workspace:path`): the project itself, so not reported, but their
// dependencies are the direct ones. Berry folds a workspace's devDependencies into its
// dependencies; the package.json beside the lockfile tells the root's apart.
import type { Package } from '../../../../protocol/index.ts'
import { LockfileError } from '../parser.ts'
import type { ParseContext } from '../parser.ts'
import { dependencyGroups, type Edge, type RootEdge } from './dependency-groups.ts'
import { gitCommitOf } from './git-commit.ts'
import { isYamlMap, parseLockfileYaml, yamlMap, yamlString, type YamlMap } from '../lockfile-yaml.ts'
import { NpmPackages } from './npm-package.ts'
import { siblingManifest } from './package-json.ts'
import { headerDescriptors, packageNameOf, splitDescriptor } from './yarn-descriptor.ts'

// Soft links to folders of the project, with no version of their own.
const LOCAL_PROTOCOLS = ['workspace:', 'link:', 'portal:']

interface Entry { key: string, name: string, reference: string, version: string, fields: YamlMap }

function isOptional(fields: YamlMap, dep: string): boolean {
  const meta = yamlMap(fields, 'dependenciesMeta')
  const m = meta && yamlMap(meta, dep)
  return m !== undefined && yamlString(m, 'optional') === 'true'
}

export function parseYarnBerry(text: string, ctx: ParseContext): Package[] {
  const doc = parseLockfileYaml(text, 'yarn.lock')
  if (!isYamlMap(doc)) throw new LockfileError('bad-structure', 'yarn.lock: top level is not a map')
  const entries: Entry[] = []
  const byDescriptor = new Map<string, Entry>()
  for (const key in doc) {
    if (key === '__metadata') continue
    const fields = doc[key]
    if (!isYamlMap(fields)) throw new LockfileError('bad-structure', `yarn.lock: entry ${key} is not a map`)
    const version = yamlString(fields, 'version')
    if (version === undefined) throw new LockfileError('bad-structure', `yarn.lock: entry ${key} has no version`)
    const descriptors = headerDescriptors(key)
    const [name, reference] = splitDescriptor(yamlString(fields, 'resolution') ?? descriptors[0] ?? key)
    const entry: Entry = { key, name: packageNameOf(`${name}@${reference}`), reference, version, fields }
    entries.push(entry)
    for (const d of descriptors) byDescriptor.set(d, entry)
  }
  // Older Berry files leave the default `npm:` protocol out of dependency ranges.
  const lookup = (name: string, range: string) => byDescriptor.get(`${name}@${range}`) ?? byDescriptor.get(`${name}@npm:${range}`)

  const manifest = siblingManifest(ctx)
  const roots: RootEdge<Entry>[] = []
  const graph = new Map<Entry, Edge<Entry>[]>()
  for (const e of entries) {
    const deps = yamlMap(e.fields, 'dependencies')
    const edges: Edge<Entry>[] = []
    const isWorkspace = e.reference.startsWith('workspace:')
    for (const dep in deps) {
      const range = deps[dep]
      const to = typeof range === 'string' ? lookup(dep, range) : undefined
      if (to === undefined) continue
      const optional = isOptional(e.fields, dep)
      edges.push({ to, optional })
      if (!isWorkspace) continue
      let kind: RootEdge<Entry>['kind'] = optional ? 'optional' : 'prod'
      // Only the root workspace's own package.json is at hand.
      if (e.reference === 'workspace:.' && manifest !== undefined) {
        if (Object.hasOwn(manifest.optionalDependencies, dep)) kind = 'optional'
        else if (Object.hasOwn(manifest.devDependencies, dep) && !Object.hasOwn(manifest.dependencies, dep)) kind = 'dev'
      }
      roots.push({ to, kind })
    }
    graph.set(e, edges)
  }
  const groups = dependencyGroups(roots, (e) => graph.get(e))
  const direct = new Set(roots.map((r) => r.to))
  // Without workspace entries (not written by Yarn itself) nothing says what is direct.
  const knowsDirect = entries.some((e) => e.reference.startsWith('workspace:'))

  const out = new NpmPackages(ctx.path)
  for (const e of entries) {
    if (LOCAL_PROTOCOLS.some((p) => e.reference.startsWith(p))) continue
    out.add(e.name, e.version, { groups: groups.get(e), commit: gitCommitOf(e.reference), direct: knowsDirect ? direct.has(e) : undefined })
  }
  return out.list()
}
