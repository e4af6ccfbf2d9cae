// Types of memory-settings.js for the TypeScript that imports it (benches, tests).
export interface MemorySettings { v8: string[], tunables: string[] }
export function memorySettings(argv: string[]): MemorySettings | undefined
export function environmentFor(settings: MemorySettings, env: Record<string, string | undefined>): Record<string, string | undefined>
export function execWithSettings(argv: string[]): void
