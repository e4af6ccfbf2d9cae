// An element's subscription to the tenant's live changes: on while the element is in the
// document, moved when the element is handed another LiveSync (call `follow` in willUpdate).
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { LiveChange, LiveSync } from '../live/live-sync.ts'

export class LiveController implements ReactiveController {
  readonly #live: () => LiveSync | undefined
  readonly #onChange: (c: LiveChange) => void
  readonly #onStop: () => void
  #connected = false
  #unlisten: (() => void) | undefined

  constructor(host: ReactiveControllerHost, live: () => LiveSync | undefined, onChange: (c: LiveChange) => void, onStop: () => void = () => {}) {
    this.#live = live
    this.#onChange = onChange
    this.#onStop = onStop
    host.addController(this)
  }

  /** Subscribes again, to the LiveSync the element holds now. */
  follow(): void {
    this.#unlisten?.()
    this.#unlisten = this.#connected ? this.#live()?.on(this.#onChange) : undefined
  }

  hostConnected(): void {
    this.#connected = true
    this.follow()
  }

  hostDisconnected(): void {
    this.#connected = false
    this.#unlisten?.()
    this.#unlisten = undefined
    this.#onStop()
  }
}
