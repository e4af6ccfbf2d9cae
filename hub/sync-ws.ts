// `/sync/<doc>`: the y-websocket protocol (y-protocols sync + awareness, Yjs 13) for
// browsers (findings, inventory, agents, triage and enrich docs), read-only: a client gets the doc as the hub holds it (sync step 2 against its
// state vector) and every update as envelopes arrive; what it sends of its own is dropped.
// The caller is authenticated at upgrade like any API call; refusals complete the handshake
// and close with a named code (4400 bad doc, 4401 unauthenticated, 4403 no role on the
// tenant, 4404 unknown doc), so browsers see why. A room may carry a state of the hub's own
// in its awareness (`<tenant>/agents`: the findings index's version, hub/index-signal.ts).
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { Envelope } from '../protocol/index.ts'
import type { Replica } from '../mesh/index.ts'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1

/** A y-websocket awareness message with these clients' states. */
function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(e)
}
/** Largest message a client may send (a sync step 1 or an awareness update is small). */
const MAX_CLIENT_MESSAGE = 64 * 1024

export const CLOSE = { badDoc: 4400, unauthorized: 4401, forbidden: 4403, unknownDoc: 4404 } as const

export type SyncAuthorization = { ok: true, replica: Replica } | { ok: false, code: number, reason: string }

export interface SyncEndpointInit {
  /** Decides, from the upgrade request, whether it may read `doc`. */
  authorize: (req: IncomingMessage, doc: string) => Promise<SyncAuthorization>
  /** Subscribes to envelopes stored for a replica (returns the unsubscribe). */
  onStored: (replica: Replica, fn: (env: Envelope) => void) => () => void
  /** The hub's own awareness state in a doc's room, when it has one (clients see it as a peer's). */
  roomState?: (replica: Replica, doc: string) => RoomState | undefined
  log?: (line: string) => void
}

export interface RoomState { state(): object, subscribe(fn: (s: object) => void): () => void }

interface Room { clients: Set<WebSocket>, awareness: awarenessProtocol.Awareness, unsubscribe: () => void }

export function attachSyncEndpoint(server: Server, init: SyncEndpointInit): { close(): void, clients(): number, rooms(): string[] } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE })
  const rooms = new Map<string, Room>()

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://hub')
    if (!url.pathname.startsWith('/sync/')) { socket.destroy(); return }
    const doc = decodeURIComponent(url.pathname.slice('/sync/'.length))
    wss.handleUpgrade(req, socket, head, (ws) => {
      serve(ws, req, doc).catch((err: Error) => {
        init.log?.(`sync ${doc}: ${err.message}`)
        ws.close(1011, 'internal error')
      })
    })
  }
  server.on('upgrade', onUpgrade)

  const send = (ws: WebSocket, bytes: Uint8Array) => {
    if (ws.readyState === ws.OPEN) ws.send(bytes, (err) => { if (err) ws.terminate() })
  }

  async function serve(ws: WebSocket, req: IncomingMessage, docName: string): Promise<void> {
    const pending: Buffer[] = []
    ws.on('message', (data: Buffer) => { pending.push(data) })
    const auth = await init.authorize(req, docName)
    if (ws.readyState !== ws.OPEN) return
    if (!auth.ok) { ws.close(auth.code, auth.reason); return }
    const replica = auth.replica
    const key = `${replica.tenant}\u0000${docName}`
    let room = rooms.get(key)
    if (!room) {
      const awareness = new awarenessProtocol.Awareness(new Y.Doc())
      const own = init.roomState?.(replica, docName)
      awareness.setLocalState(own ? own.state() as Record<string, unknown> : null)
      const unfollow = own?.subscribe((s) => awareness.setLocalState(s as Record<string, unknown>))
      const unstored = init.onStored(replica, (env) => {
        if (env.doc !== docName) return
        const e = encoding.createEncoder()
        encoding.writeVarUint(e, MESSAGE_SYNC)
        syncProtocol.writeUpdate(e, env.payload)
        const bytes = encoding.toUint8Array(e)
        for (const c of r.clients) send(c, bytes)
      })
      const r: Room = {
        clients: new Set(), awareness,
        // The Awareness renews its own state on an interval: destroy stops that.
        unsubscribe: () => { unstored(); unfollow?.(); awareness.destroy() },
      }
      awareness.on('update', ({ added, updated, removed }: { added: number[], updated: number[], removed: number[] }) => {
        const bytes = awarenessMessage(awareness, [...added, ...updated, ...removed])
        for (const c of r.clients) send(c, bytes)
      })
      rooms.set(key, r)
      room = r
    }
    const thisRoom = room
    thisRoom.clients.add(ws)
    const controlled = new Set<number>()
    ws.on('close', () => {
      thisRoom.clients.delete(ws)
      awarenessProtocol.removeAwarenessStates(thisRoom.awareness, [...controlled], null)
      if (thisRoom.clients.size === 0) { thisRoom.unsubscribe(); rooms.delete(key) }
    })

    const handle = async (data: Buffer) => {
      try {
        const decoder = decoding.createDecoder(new Uint8Array(data))
        const type = decoding.readVarUint(decoder)
        if (type === MESSAGE_SYNC) {
          const step = decoding.readVarUint(decoder)
          // Read-only: only a state vector (sync step 1) is answered; updates are dropped.
          if (step !== syncProtocol.messageYjsSyncStep1) return
          const sv = decoding.readVarUint8Array(decoder)
          const doc = await replica.log.doc(docName)
          const update = doc ? Y.encodeStateAsUpdate(doc, sv) : Y.encodeStateAsUpdate(new Y.Doc())
          const e = encoding.createEncoder()
          encoding.writeVarUint(e, MESSAGE_SYNC)
          encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2)
          encoding.writeVarUint8Array(e, update)
          send(ws, encoding.toUint8Array(e))
        } else if (type === MESSAGE_AWARENESS) {
          const update = decoding.readVarUint8Array(decoder)
          const d = decoding.createDecoder(update)
          const n = decoding.readVarUint(d)
          for (let i = 0; i < n; i++) { controlled.add(decoding.readVarUint(d)); decoding.readVarUint(d); decoding.readVarString(d) }
          awarenessProtocol.applyAwarenessUpdate(thisRoom.awareness, update, ws)
        }
      } catch {
        ws.close(4400, 'malformed message')
      }
    }
    // The server's state vector first (the client answers with its own step 1 too).
    const doc = await replica.log.doc(docName)
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(e, doc ?? new Y.Doc())
    send(ws, encoding.toUint8Array(e))
    // Then the room's awareness states as they stand (the hub's own among them).
    const states = [...thisRoom.awareness.getStates().keys()]
    if (states.length > 0) send(ws, awarenessMessage(thisRoom.awareness, states))
    // Messages that came during the checks, then the rest in order, one at a time.
    let chain = Promise.resolve()
    const enqueue = (data: Buffer) => { chain = chain.then(() => handle(data)).catch(() => ws.terminate()) }
    ws.removeAllListeners('message')
    for (const data of pending) enqueue(data)
    ws.on('message', enqueue)
  }

  return {
    close() {
      server.off('upgrade', onUpgrade)
      for (const r of rooms.values()) { for (const c of r.clients) c.terminate(); r.unsubscribe() }
      rooms.clear()
      wss.close()
    },
    clients: () => [...rooms.values()].reduce((n, r) => n + r.clients.size, 0),
    rooms: () => [...rooms.keys()].map((k) => k.slice(k.indexOf('\u0000') + 1)),
  }
}
