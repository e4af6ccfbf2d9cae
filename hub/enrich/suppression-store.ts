// A tenant's VEX statements, stored in a LevelDB sublevel the hub gives it (one per tenant:
// statements never cross tenants), keyed by statement id. Suppressions are few (people
// write them), so `list` reads them all; the hub indexes them once per listing or export.
import { pack, unpack } from '../../protocol/index.ts'
import { parseOpenVex, type VexStatement } from './openvex.ts'

/** The part of an abstract-level sublevel used here (string keys, byte values). */
export interface SuppressionLevel {
  get(key: string): Promise<Uint8Array | undefined>
  put(key: string, value: Uint8Array): Promise<void>
  del(key: string): Promise<void>
  batch(ops: { type: 'put', key: string, value: Uint8Array }[]): Promise<void>
  iterator(): AsyncIterable<[string, Uint8Array]>
}

export interface VexImportResult {
  added: number
  replaced: number
  errors: { where: string, message: string }[]
}

export interface SuppressionStore {
  list(): Promise<VexStatement[]>
  get(id: string): Promise<VexStatement | undefined>
  /** Adds or replaces statements by id. */
  put(statements: readonly VexStatement[]): Promise<{ added: number, replaced: number }>
  delete(id: string): Promise<boolean>
  /** Parses an OpenVEX document (text or JSON) and stores its valid statements; EnrichError `bad-vex` when it is not one. */
  importOpenVex(doc: unknown): Promise<VexImportResult>
}

export function createSuppressionStore(level: SuppressionLevel): SuppressionStore {
  const store: SuppressionStore = {
    async list() {
      const out: VexStatement[] = []
      for await (const [, v] of level.iterator()) out.push(unpack(v) as VexStatement)
      return out
    },
    async get(id) {
      const v = await level.get(id)
      return v === undefined ? undefined : (unpack(v) as VexStatement)
    },
    async put(statements) {
      let added = 0
      let replaced = 0
      const ops: { type: 'put', key: string, value: Uint8Array }[] = []
      const ids = new Set<string>()
      for (const s of statements) {
        if (!ids.has(s.id)) { if ((await level.get(s.id)) === undefined) added++; else replaced++ }
        ids.add(s.id)
        ops.push({ type: 'put', key: s.id, value: pack(s) })
      }
      if (ops.length > 0) await level.batch(ops)
      return { added, replaced }
    },
    async delete(id) {
      if ((await level.get(id)) === undefined) return false
      await level.del(id)
      return true
    },
    async importOpenVex(doc) {
      const parsed = parseOpenVex(doc)
      return { ...(await store.put(parsed.statements)), errors: parsed.errors }
    },
  }
  return store
}
