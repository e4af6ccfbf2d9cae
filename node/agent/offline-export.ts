// `zt agent export` while the agent is stopped: its store opened here, the mesh code loaded
// only now (a bundle is the mesh's format).
import type { AgentIdentity, Certificate } from '../../keys/index.ts'
import type { AgentStore } from './agent-store.ts'

export async function exportStoppedAgent(store: AgentStore, identity: AgentIdentity, cert: Certificate, out: string, sinceAck: boolean): Promise<{ bytes: number, frames: number }> {
  const { exportBundle, openAgentReplica } = await import('./agent-mesh.ts')
  return exportBundle(await openAgentReplica(store, identity, cert), out, sinceAck)
}
