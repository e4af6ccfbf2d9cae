// The bare-stream baseline of bench:sync, run as a child process: a libp2p node built like
// MeshPeer (TCP + Noise + Yamux) answering one protocol that counts the bytes it is sent and
// answers one byte once it has them all (the first 8 bytes name the total). No framing, no
// decoding, no verification, no storage: what the transport alone costs.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'

export const SINK_PROTOCOL = '/zt-bench/sink/1.0.0'

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
})
await node.handle(SINK_PROTOCOL, (stream) => {
  let total = -1
  let got = 0
  let header = new Uint8Array(0)
  stream.addEventListener('message', (evt) => {
    const data = evt.data instanceof Uint8Array ? evt.data : evt.data.subarray()
    if (total < 0) {
      const used = Math.min(8 - header.length, data.length)
      header = Uint8Array.from([...header, ...data.subarray(0, used)])
      if (header.length < 8) return
      total = Number(new DataView(header.buffer).getBigUint64(0))
      got = data.length - used
    } else {
      got += data.length
    }
    if (got >= total) {
      stream.send(Uint8Array.of(1))
      stream.close().catch(() => {})
    }
  })
}, { maxInboundStreams: 4 })
console.log(node.getMultiaddrs()[0]!.toString())
process.on('SIGTERM', () => { Promise.resolve(node.stop()).finally(() => process.exit(0)) })
