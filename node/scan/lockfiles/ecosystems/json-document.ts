// JSON lockfiles (composer.lock, packages.lock.json, renv.lock, conan.lock): one parse, one
// error shape, and the narrowing every reader of untrusted JSON needs.
import { LockfileError } from '../parser.ts'

export type JsonObject = Record<string, unknown>

/** The document's top-level object; a syntax error or a non-object top level is named. */
export function parseJsonObject(text: string, format: string): JsonObject {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new LockfileError('bad-syntax', `${format}: not valid JSON: ${(err as Error).message}`, { cause: err })
  }
  if (!isObject(value)) throw new LockfileError('bad-structure', `${format}: top level is not a JSON object`)
  return value
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A string field, or undefined when absent or of another type. */
export function stringField(obj: JsonObject, key: string): string | undefined {
  const v = obj[key]
  return typeof v === 'string' ? v : undefined
}
