// One sync stream as a channel of typed messages: frames (protocol/frame.ts) over a libp2p
// message stream, decoded lazily, with bounded buffers both ways. Writes wait for the
// stream's 'drain'; reads are queued frames, and a peer that sends more than the flow
// window allows (it must wait for acks) is cut off instead of buffered.
import type { Stream } from '@libp2p/interface'
import { decodeMessage, encodeFrame, encodeMessage, FrameDecoder, MAX_FRAME, ProtocolError, type Message } from '../protocol/index.ts'
import { MeshError } from './errors.ts'

export interface ChannelOptions {
  /** Bytes of received frames not yet taken by `next()` before the peer is cut off. */
  maxQueuedBytes: number
  /**
   * Above this many queued bytes the stream is paused (the muxer stops granting the peer
   * window, so further data waits at the sender); resumed once `next()` took them all.
   */
  pauseAtBytes?: number
}

/** Queued bytes that pause a stream by default: a couple of full batches. */
export const PAUSE_AT_BYTES = 1024 * 1024

export class Channel {
  readonly #stream: Stream
  readonly #decoder = new FrameDecoder(MAX_FRAME)
  readonly #queue: Uint8Array[] = []
  readonly #max: number
  readonly #pauseAt: number
  #paused = false
  #queuedBytes = 0
  #failure: Error | undefined
  #ended = false
  #wake: (() => void) | undefined

  constructor(stream: Stream, opts: ChannelOptions) {
    this.#stream = stream
    this.#max = opts.maxQueuedBytes
    this.#pauseAt = opts.pauseAtBytes ?? PAUSE_AT_BYTES
    stream.addEventListener('message', (evt) => {
      if (this.#failure) return
      try {
        const data = evt.data instanceof Uint8Array ? evt.data : evt.data.subarray()
        for (const frame of this.#decoder.push(data)) {
          this.#queue.push(frame)
          this.#queuedBytes += frame.length
        }
        if (this.#queuedBytes > this.#max) throw new MeshError('flow-control', `peer sent ${this.#queuedBytes} bytes beyond what was read (limit ${this.#max})`)
        if (this.#queuedBytes > this.#pauseAt && !this.#paused) this.#setPaused(true)
      } catch (err) {
        this.#failure = err as Error
      }
      this.#notify()
    })
    stream.addEventListener('remoteCloseWrite', () => { this.#ended = true; this.#notify() })
    stream.addEventListener('close', (evt) => {
      this.#ended = true
      if ((evt as { error?: Error }).error && !this.#failure) this.#failure = new MeshError('closed', `stream closed: ${(evt as { error?: Error }).error!.message}`)
      this.#notify()
    })
  }

  /** Whether reading is paused because frames wait to be taken. */
  get paused(): boolean {
    return this.#paused
  }

  #setPaused(paused: boolean): void {
    try {
      if (paused) this.#stream.pause()
      else this.#stream.resume()
      this.#paused = paused
    } catch {
      // closing: nothing more will be read anyway
    }
  }

  get remoteEnded(): boolean {
    return this.#ended
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  /** The next message; undefined when the peer closed cleanly. Throws ProtocolError or MeshError. */
  async next(signal?: AbortSignal): Promise<Message | undefined> {
    for (;;) {
      const frame = this.#queue.shift()
      if (frame) {
        this.#queuedBytes -= frame.length
        if (this.#paused && this.#queuedBytes === 0) this.#setPaused(false)
        return decodeMessage(frame)
      }
      if (this.#failure) throw this.#failure
      if (this.#ended) {
        this.#decoder.end()
        return undefined
      }
      signal?.throwIfAborted()
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal!.reason as Error)
        signal?.addEventListener('abort', onAbort, { once: true })
        this.#wake = () => { signal?.removeEventListener('abort', onAbort); resolve() }
      })
    }
  }

  /** Sends one message; resolves once the stream took it (waits for 'drain' when full). */
  async send(msg: Message, signal?: AbortSignal): Promise<void> {
    const frame = encodeFrame(encodeMessage(msg))
    if (this.#stream.status !== 'open' || this.#stream.writeStatus !== 'writable') throw new MeshError('closed', 'stream is not writable')
    if (!this.#stream.send(frame)) await this.#stream.onDrain({ signal })
  }

  /** Sends `refuse` with a named code (best effort), then closes. */
  async refuse(code: string, message: string): Promise<void> {
    try {
      await this.send({ type: 'refuse', code, message: message.slice(0, 1024) }, AbortSignal.timeout(2000))
      await this.#stream.close({ signal: AbortSignal.timeout(2000) })
    } catch {
      this.abort(new MeshError('closed', message))
    }
  }

  async close(): Promise<void> {
    try { await this.#stream.close({ signal: AbortSignal.timeout(2000) }) } catch { this.abort(new MeshError('closed', 'close timed out')) }
  }

  abort(err: Error): void {
    this.#stream.abort(err)
  }
}

/** The code to refuse with for an error a session ran into. */
export function codeOf(err: unknown): string {
  if (err instanceof MeshError || err instanceof ProtocolError) return err.code
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && /^[a-z0-9-]{1,64}$/.test(code) ? code : 'internal'
}
