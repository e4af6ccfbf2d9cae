// Types of memory-settings.js for the TypeScript that imports it (bench:scan).
export function memorySettings(argv: string[]): { v8: string[], env: Record<string, string> } | undefined
