// The piscina worker of re-matching: CPU only (matching, hashing); the main thread does
// the advisory DB's I/O, which LevelDB allows to one process, and so one thread, only.
import { runRematchTask, type RematchTask } from './rematch-task.ts'

export default function rematchWorker(task: RematchTask) {
  return runRematchTask(task)
}
