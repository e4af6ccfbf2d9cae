// The sender's side of flow control: envelopes sent and not yet acked, at most `limit` bytes
// of them (one batch may always go when nothing is in flight, whatever its size). A sender
// waits for room; acks and wants release what they cover; ending the session wakes a waiter.
import { MeshError } from './errors.ts'

export interface InFlight { key: string, seq: number, bytes: number }

export class SendWindow {
  readonly limit: number
  readonly #inflight: InFlight[] = []
  #bytes = 0
  #wake: (() => void) | undefined

  constructor(limit: number) {
    this.limit = limit
  }

  /** Waits until `bytes` more fit; throws `closed` once `ended()` says the session is over. */
  async room(bytes: number, ended: () => boolean): Promise<void> {
    while (this.#bytes > 0 && this.#bytes + bytes > this.limit) {
      if (ended()) break
      await new Promise<void>((resolve) => { this.#wake = resolve })
    }
    if (ended()) throw new MeshError('closed', 'session ended')
  }

  /** Counts envelopes as sent. */
  add(refs: InFlight[]): void {
    for (const r of refs) { this.#inflight.push(r); this.#bytes += r.bytes }
  }

  /** Frees the room of in-flight envelopes matching `done`, waking a waiting sender. */
  release(done: (f: InFlight) => boolean): void {
    let freed = false
    for (let i = this.#inflight.length - 1; i >= 0; i--) {
      const f = this.#inflight[i]!
      if (!done(f)) continue
      this.#bytes -= f.bytes
      this.#inflight.splice(i, 1)
      freed = true
    }
    if (freed) this.wake()
  }

  /** Wakes a waiting sender (to see the room, or that the session ended). */
  wake(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }
}
