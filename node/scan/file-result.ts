// What reading one file yields: its packages, its secrets, or the reason it could not be read.
/** A secret found in a file: located, masked and keyed-hashed; never the value itself. */
export interface SecretHit {
  rule: string
  description: string
  severity: 'critical' | 'high' | 'medium' | 'low'
  path: string
  line: number
  column: number
  /** At most the first and last 4 characters, the middle masked. */
  preview: string
  /** HMAC-SHA256 of the value under the installation key, hex. */
  hash: string
}

/** A file as the cache remembers it: where, how big, when last modified (content, and inode: a rename or utimes moves ctime). */
export interface FileStamp { path: string, size: number, mtimeMs: number, ctimeMs: number }

export interface FileTask {
  abs: string
  rel: string
  /** Parse it as a lockfile / package database. */
  parse: boolean
  /** Look for secrets in it. */
  secrets: boolean
  /** Hash the content (only a cached scan needs it). */
  hash: boolean
  /** Hand back the packages packed (only a scan that keeps the inventory needs them; the match keys and count always come back). */
  pack: boolean
  /** The content hash the cache holds for it: the same content is neither parsed nor searched again (the result says `same`). */
  expect?: string
}

export interface FileResult {
  abs: string
  rel: string
  size: number
  mtimeMs: number
  ctimeMs: number
  hash: string
  /** The file's packages, packed (node/scan/package-codec.ts). */
  packages: Uint8Array
  /** How many packages, and their distinct match keys, one per line (key-numbering.ts), as UTF-8: what the cache stores. */
  count: number
  keys: Uint8Array
  /** The same keys as numbers of the examining thread's KeyNumbering, in the same order. */
  ids: Uint32Array
  secrets: SecretHit[]
  /** Whether it was looked through for secrets (the task asked, and the thread has a secret scanner). */
  secretsScanned: boolean
  /** Its content hashed to the task's `expect`: nothing else was done (the cache's entry answers for it). */
  same?: true
  /** Why the file could not be read or parsed; the rest of the scan goes on. */
  error?: string
  /** Other files the parser read (go.sum, os-release, -r includes): a change to one invalidates the cache entry. */
  deps?: FileStamp[]
}

/** What a thread hands back for a batch of files. */
export interface ExaminedBatch {
  /** The thread that numbered the files' keys (its numbers mean nothing to another thread's). */
  thread: number
  /** Keys that thread numbered for the first time in this batch, in number order. */
  fresh: string[]
  files: FileResult[]
}
