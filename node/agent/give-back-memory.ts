// After a scan an agent sits idle for minutes. V8 keeps the young generation the scan grew
// (up to 16 MB resident) and the old generation's free pages until memory gets tight, which
// on an idle process is never; a last-resort collection hands them back (measured on an idle
// agent: RSS ~100 → ~80 MB). Node offers gc() only behind --expose-gc, a flag V8 accepts at
// run time; the function is taken from a fresh context, the main one gets no `gc` global.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Gc = (opts: { type: 'major', execution: 'sync', flavor: 'last-resort' }) => void

let gc: Gc | undefined

export function giveBackMemory(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as Gc
  }
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
}
