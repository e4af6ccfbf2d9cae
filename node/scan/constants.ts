// Defaults of a scan, in one place.

/** Globs left out of every walk (their contents are other people's installs or history). */
export const DEFAULT_IGNORES = ['**/node_modules/**', '**/vendor/**', '**/.git/**']

/** Files over this size are skipped with a warning (64 MiB). */
export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024
