// Yjs updates that misbehave, for tests of what receivers do with them.

/**
 * An update that reads as Yjs reads it (update-check.ts passes it, Y.decodeUpdate decodes it)
 * but does not integrate, on an empty doc or any other: an item whose parent is no type.
 * Found by crdt/update-check.test.ts's fuzzing.
 */
export const READS_BUT_FAILS = Buffer.from('0105c1dad49e0c00070103786d6c0301700700c1dad49e0c29060400c1dad49e0c2a01742800c1dad49e0c2905006c6173730177016387c1dad49e0c290504686f6f6b00', 'hex')
