// indexOf for a scan that only moves forward: asked for the first occurrence at or after a
// position that never decreases, it searches again only once it has passed the last one
// found. Asking at every keyword of a megabyte-long minified line reads the line once.

/** Returns (from) => index of the first `needle` at or after `from`, or text.length if none; `from` must not decrease. */
export function forwardSearch(text: string, needle: string): (from: number) => number {
  let last = 0
  let found = -1
  return (from) => {
    if (from < last) throw new RangeError(`forwardSearch went back from ${last} to ${from}`)
    last = from
    if (found === -1 || from > found) {
      const i = text.indexOf(needle, from)
      found = i === -1 ? text.length : i
    }
    return found
  }
}
