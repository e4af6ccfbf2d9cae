// The narrow store the auth records need: a LevelDB sublevel of JSON values.
export interface JsonLevel<V> {
  put(key: string, value: V): Promise<void>
  del(key: string): Promise<void>
  iterator(): AsyncIterable<[string, V]>
}

/** Every record of a level, for the in-memory maps the auth state is served from. */
export async function loadAll<V>(level: JsonLevel<V>): Promise<Map<string, V>> {
  const out = new Map<string, V>()
  for await (const [k, v] of level.iterator()) out.set(k, v)
  return out
}
