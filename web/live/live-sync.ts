// Live updates of a tenant over the hub's /sync endpoint (y-websocket, read-only): the
// `<tenant>/agents` doc (agent status, applied as it arrives) and `<tenant>/triage`. When to
// refetch findings lists and counts comes from the hub's awareness state in the agents room
// (`{ index: { version, agents } }`, hub/index-signal.ts): it moves once the findings index
// holds a change, naming the agents whose findings changed (null: many). The findings docs
// themselves are never synced to the browser (one of 100,000 findings is 32 MB). A doc the
// hub refuses (a bearer token cannot ride on a WebSocket; an older hub does not serve
// triage) is polled for instead. y-websocket reconnects by itself; `state` says whether
// the UI is live, reconnecting after a drop, or polling.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

export const POLL_MS = 5000
/** Close codes the hub uses for refusals (hub/sync-ws.ts): retrying will not help. */
const REFUSED = new Set([4400, 4401, 4403, 4404])

export interface AgentLive { name?: string, online?: boolean, lastSeen?: number, lastScan?: number, certExpiry?: number, revoked?: boolean, version?: string }
/** `findings` without an agent: findings of many agents changed. */
export type LiveChange = { doc: 'agents', agents: Map<string, AgentLive> } | { doc: 'findings', agent?: string } | { doc: 'triage' } | { doc: 'poll' }
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'polling' | 'off'

export interface LiveInit {
  /** ws(s)://host/sync */
  url: string
  tenant: string
  /** For tests: a WebSocket class. */
  WebSocket?: typeof WebSocket
  pollMs?: number
}

/** The hub's awareness state in the agents room (hub/index-signal.ts). */
interface IndexState { index: { version: number, agents: string[] | null } }

interface Sub { provider: WebsocketProvider, doc: Y.Doc, refused: number, connected: boolean, everConnected: boolean }

export class LiveSync {
  readonly tenant: string
  state: LiveState = 'connecting'
  readonly agents = new Map<string, AgentLive>()
  readonly #init: LiveInit
  readonly #subs = new Map<string, Sub>()
  readonly #listeners = new Set<(c: LiveChange) => void>()
  readonly #stateListeners = new Set<(s: LiveState) => void>()
  #poll: ReturnType<typeof setInterval> | undefined
  #stopped = false

  constructor(init: LiveInit) {
    this.#init = init
    this.tenant = init.tenant
  }

  static urlFor(location: Location): string {
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
  }

  start(): void {
    const agentsRoom = this.#subscribe(`${this.tenant}/agents`, (doc) => {
      const map = doc.getMap<AgentLive>('agents')
      const apply = () => {
        for (const [id, entry] of map) this.agents.set(id, entry)
        for (const id of this.agents.keys()) if (!map.has(id)) this.agents.delete(id)
        this.#emit({ doc: 'agents', agents: this.agents })
      }
      map.observe(apply)
    })
    const awareness = agentsRoom.provider.awareness
    let seen: number | undefined
    awareness.on('change', () => {
      for (const [client, state] of awareness.getStates()) {
        const index = client === awareness.clientID ? undefined : (state as Partial<IndexState>).index
        if (!index || typeof index.version !== 'number' || index.version === seen) continue
        // The first state heard after (re)connecting refetches too: changes may have come meanwhile.
        seen = index.version
        if (Array.isArray(index.agents)) for (const agent of index.agents) this.#emit({ doc: 'findings', agent })
        else this.#emit({ doc: 'findings' })
      }
    })
    this.#subscribe(`${this.tenant}/triage`, (doc) => { doc.getMap('triage').observe(() => this.#emit({ doc: 'triage' })) })
  }

  on(fn: (c: LiveChange) => void): () => void {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  onState(fn: (s: LiveState) => void): () => void {
    this.#stateListeners.add(fn)
    return () => this.#stateListeners.delete(fn)
  }

  stop(): void {
    this.#stopped = true
    clearInterval(this.#poll)
    for (const s of this.#subs.values()) { s.provider.destroy(); s.doc.destroy() }
    this.#subs.clear()
    this.#setState('off')
  }

  #emit(c: LiveChange): void {
    for (const fn of this.#listeners) fn(c)
  }

  #subscribe(name: string, observe: (doc: Y.Doc) => void): Sub {
    const doc = new Y.Doc()
    observe(doc)
    const provider = new WebsocketProvider(this.#init.url, name, doc, {
      disableBc: true, maxBackoffTime: 5000, WebSocketPolyfill: (this.#init.WebSocket ?? WebSocket) as never,
    })
    // Read-only: the hub drops anything a browser sends but its state vector.
    provider.awareness.setLocalState(null)
    const sub: Sub = { provider, doc, refused: 0, connected: false, everConnected: false }
    this.#subs.set(name, sub)
    provider.on('status', ({ status }) => {
      sub.connected = status === 'connected'
      if (sub.connected) sub.everConnected = true
      this.#update()
    })
    provider.on('connection-close', (event) => {
      if (event && REFUSED.has(event.code)) {
        sub.refused = event.code
        provider.shouldConnect = false
        provider.disconnect()
        this.#update()
      }
    })
    return sub
  }

  #update(): void {
    const subs = [...this.#subs.values()]
    const active = subs.filter((s) => !s.refused)
    const refused = subs.length - active.length
    // Refused for who we are (no session on the socket): the whole page polls, and says so.
    // A doc this hub does not serve (4400/4404) is polled for quietly.
    const unauthorized = subs.some((s) => s.refused === 4401 || s.refused === 4403)
    let next: LiveState
    if (active.length > 0 && active.some((s) => s.everConnected && !s.connected)) next = 'reconnecting'
    else if (unauthorized || active.length === 0) next = 'polling'
    else if (active.length > 0 && active.every((s) => s.connected)) next = 'live'
    else next = 'connecting'
    // A refused doc is polled for: lists refetch on a timer as they would on a change.
    if (refused > 0 && !this.#poll && !this.#stopped) this.#poll = setInterval(() => this.#emit({ doc: 'poll' }), this.#init.pollMs ?? POLL_MS)
    this.#setState(next)
  }

  #setState(s: LiveState): void {
    if (s === this.state) return
    this.state = s
    for (const fn of this.#stateListeners) fn(s)
  }
}
