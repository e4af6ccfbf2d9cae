// Defaults of a scan, in one place.

/** Globs left out of every walk (their contents are other people's installs or history). */
export const DEFAULT_IGNORES = ['**/node_modules/**', '**/vendor/**', '**/.git/**']

/** Files over this size are skipped with a warning (64 MiB). */
export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024

/**
 * How long after a change a file's or directory's stamp is not yet trusted (stamps.ts): a
 * second change within the filesystem's timestamp tick would leave the stamp as it was.
 * Sub-second stamps (ext4, XFS, btrfs, APFS, NTFS: nanoseconds, ticking with the kernel's
 * coarse clock, a few ms) get the short window; whole-second ones may come from a
 * filesystem that counts in seconds (ext3, HFS+) or two (FAT).
 */
export const RACY_WINDOW_MS = 100
export const RACY_WINDOW_COARSE_MS = 2_000
