// An advisory update arriving in a session: accepted only from a hub of the tenant (directly,
// or forwarded by a relay), not revoked, in its feed's order; acked once kept, a gap asked for.
import { openEnvelope } from '../crdt/index.ts'
import type { Message } from '../protocol/index.ts'
import { FEED_DOC } from './advisory-feed.ts'
import { codeOf } from './channel.ts'
import type { Counters } from './counters.ts'
import { MeshError } from './errors.ts'
import type { Replica } from './replica.ts'
import type { PeerGrant } from './trust.ts'

export async function receiveAdvisoryUpdate(bytes: Uint8Array, replica: Replica, grant: PeerGrant, counters: Counters, send: (msg: Message) => Promise<void>): Promise<void> {
  const feed = replica.feed
  if (!feed || replica.role === 'hub') { counters.add('advisories:ignored'); return }
  let env
  try { env = openEnvelope(bytes) } catch (err) { counters.add('advisories:rejected:malformed'); throw err }
  const fromHub = env.author === grant.peerId ? grant.role === 'hub' : grant.role === 'relay' && replica.isHub(env.author)
  try {
    if (!fromHub) throw new MeshError('unknown-author', `${env.author} is not a hub of tenant '${replica.tenant}'`)
    if (replica.isRevoked(env.author)) throw new MeshError('revoked', `${env.author} is revoked`)
    const r = await feed.accept(env)
    counters.add(`advisories:${r === 'stored' ? 'accepted' : 'duplicate'}`)
  } catch (err) {
    const code = codeOf(err)
    counters.add(`advisories:rejected:${code}`)
    if (code !== 'seq-gap') throw err
    await send({ type: 'want', doc: FEED_DOC, author: env.author, fromSeq: (feed.heads()[env.author] ?? 0) + 1 })
    return
  }
  await send({ type: 'ack', acks: [{ doc: FEED_DOC, author: env.author, seq: feed.heads()[env.author]! }] })
  replica.changed(FEED_DOC, env.author)
}
