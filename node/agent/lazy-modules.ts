// The modules the agent imports only when it needs them, loaded all at once for
// cli/compile-ahead.ts (which compiles them into Node's cache before the daemon starts).
// The secret rules: scanner.ts imports them when a scan finds files to examine. The mesh
// (libp2p): agent.ts imports it when the agent joins the mesh or exports a bundle.
export async function loadLazyModules(opts: { mesh: boolean }): Promise<void> {
  await import('../scan/secrets/index.ts')
  if (opts.mesh) await import('./agent-mesh.ts')
}
