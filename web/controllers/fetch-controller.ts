// Data an element shows that comes from the API: run (abortable) when the element asks,
// the previous run aborted, the result kept across refreshes so a live refetch does not
// blank the page. Elements render `value`, `error`, `loading`; they never fetch themselves.
import type { ReactiveController, ReactiveControllerHost } from 'lit'

export class FetchController<T> implements ReactiveController {
  value: T | undefined
  error: Error | undefined
  loading = false
  readonly #host: ReactiveControllerHost
  readonly #task: (signal: AbortSignal) => Promise<T>
  #abort: AbortController | undefined

  constructor(host: ReactiveControllerHost, task: (signal: AbortSignal) => Promise<T>) {
    this.#host = host
    this.#task = task
    host.addController(this)
  }

  /** Runs the task again; `keep` leaves the last value showing meanwhile (live refreshes). */
  async run({ keep = true }: { keep?: boolean } = {}): Promise<void> {
    this.#abort?.abort()
    const abort = new AbortController()
    this.#abort = abort
    this.loading = true
    if (!keep) this.value = undefined
    this.#host.requestUpdate()
    try {
      const value = await this.#task(abort.signal)
      if (abort.signal.aborted) return
      this.value = value
      this.error = undefined
    } catch (err) {
      if (abort.signal.aborted) return
      this.error = err as Error
    } finally {
      if (this.#abort === abort) { this.loading = false; this.#host.requestUpdate() }
    }
  }

  hostDisconnected(): void {
    this.#abort?.abort()
  }
}

/** Calls `fn` once after `ms` without another call; `flush` runs a pending call now. */
/** Runs `fn` once, `ms` after the first of a burst of calls: at most `ms` late however long the burst goes on. */
export function throttle(fn: () => void, ms: number): { (): void, cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const t = () => { timer ??= setTimeout(() => { timer = undefined; fn() }, ms) }
  t.cancel = () => { clearTimeout(timer); timer = undefined }
  return t
}

export function debounce(fn: () => void, ms: number): { (): void, cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const d = () => { clearTimeout(timer); timer = setTimeout(fn, ms) }
  d.cancel = () => clearTimeout(timer)
  return d
}
