// `zt hub user …` / `zt hub token …` while the hub is stopped: the same records, straight in
// the hub's store (LevelDB takes one process: a running hub is asked over its API instead).
import { join } from 'node:path'
import { HubStore } from '../hub-store.ts'
import { HubAuth } from './hub-auth.ts'

export async function withAuthStore<T>(home: string, dataDir: string | undefined, fn: (auth: HubAuth) => Promise<T>): Promise<T> {
  const store = await HubStore.open(dataDir ?? join(home, 'hub'))
  try {
    return await fn(await HubAuth.open(store.db))
  } finally {
    await store.close()
  }
}
