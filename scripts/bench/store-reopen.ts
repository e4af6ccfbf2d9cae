// One step of bench:store, in its own process as a re-open is (an agent starting, or `zt agent
// findings` reading a stopped agent's store; bench:store runs it with each one's V8 flags): open
// the store and materialize the findings doc.
//   node store-reopen.ts <store dir> <agent PeerId>
import { findingsDoc, FINDINGS } from '../../crdt/index.ts'
import { AgentStore } from '../../node/index.ts'

const [dir, peerId] = process.argv.slice(2)
const heapBefore = process.memoryUsage().heapUsed
const t = performance.now()
const store = await AgentStore.open(dir!)
const doc = (await store.log.doc(findingsDoc(peerId!)))!
const ms = performance.now() - t
const size = doc.getMap(FINDINGS).size
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6
await store.close()
console.log(JSON.stringify({ ms, heapMb, size }))
