// A channel whose reader falls behind pauses its stream: the muxer stops granting window, so
// the data waits at the sender, not in the receiver's memory; reading again resumes it.
import { describe, it, expect, afterEach } from 'vitest'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Stream } from '@libp2p/interface'
import { Channel } from './channel.ts'

const PROTOCOL = '/zt-test/channel/1.0.0'
const nodes: Libp2p[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map((n) => n.stop())) })

const node = async (listen: boolean) => {
  const n = await createLibp2p({
    addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0'] : [] },
    transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: 2 * 1024 * 1024 } })],
  })
  nodes.push(n)
  return n
}

describe('Channel backpressure', () => {
  it('pauses a stream whose frames are not taken, so the data waits at the sender; resumes when they are', async () => {
    const [server, client] = await Promise.all([node(true), node(false)])
    let receiver: Channel | undefined
    let inbound: Stream | undefined
    await server.handle(PROTOCOL, (stream: Stream) => { inbound = stream; receiver = new Channel(stream, { maxQueuedBytes: 64 * 1024 * 1024, pauseAtBytes: 256 * 1024 }) })
    const stream = await client.dialProtocol(server.getMultiaddrs()[0]!, PROTOCOL)
    const sender = new Channel(stream, { maxQueuedBytes: 1024 * 1024 })
    const blob = new Uint8Array(64 * 1024).fill(7)
    const total = 400 // 400 × 64 KiB = 25 MiB, far beyond what the receiver may hold
    let sent = 0
    const sending = (async () => {
      for (let i = 0; i < total; i++) { await sender.send({ type: 'envelopes', envelopes: [blob] }); sent++ }
    })()
    await new Promise((r) => setTimeout(r, 1000))
    // The receiver read nothing: it paused, and holds at most the window it had granted
    // (2 MiB) beyond the frames that paused it; the rest of the 25 MiB is still at the sender.
    expect(receiver!.paused).toBe(true)
    expect(inbound!.readBufferLength).toBeLessThanOrEqual(2 * 1024 * 1024)
    expect(stream.writeBufferLength).toBeGreaterThan(20 * 1024 * 1024)
    // Reading everything resumes the stream and the rest arrives.
    for (let got = 0; got < total; got++) {
      const m = await receiver!.next(AbortSignal.timeout(10_000))
      expect(m?.type).toBe('envelopes')
    }
    await sending
    expect(sent).toBe(total)
    expect(receiver!.paused).toBe(false)
  })
})
