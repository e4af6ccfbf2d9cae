// JSON with comments and trailing commas (JSONC), as Bun writes bun.lock. The text is
// turned into JSON in one pass that copies whole runs between the bytes it drops, then
// read by JSON.parse, which is far faster than any parser written in JavaScript.
import { LockfileError } from '../parser.ts'

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9
}

/** JSONC → JSON: comments and trailing commas outside strings removed. */
export function jsoncToJson(text: string): string {
  const parts: string[] = []
  let chunk = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      // To the closing quote: one not preceded by an odd run of backslashes.
      let j = i
      for (;;) {
        j = text.indexOf('"', j + 1)
        if (j === -1) return text // unterminated: JSON.parse names the error
        let k = j - 1
        while (text.charCodeAt(k) === 92) k--
        if ((j - k) % 2 === 1) break
      }
      i = j + 1
    } else if (c === 44 /* , */) {
      let j = i + 1
      while (j < n && isSpace(text.charCodeAt(j))) j++
      const d = text.charCodeAt(j)
      if (d === 125 || d === 93) { parts.push(text.slice(chunk, i)); chunk = i + 1 }
      i = j
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i)
      parts.push(text.slice(chunk, i))
      i = chunk = end === -1 ? n : end
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2)
      if (end === -1) return text
      parts.push(text.slice(chunk, i), ' ')
      i = chunk = end + 2
    } else {
      i++
    }
  }
  if (parts.length === 0) return text
  parts.push(text.slice(chunk))
  return parts.join('')
}

/** The JSONC document's value; a syntax error is named. */
export function parseJsonc(text: string, format: string): unknown {
  try {
    return JSON.parse(jsoncToJson(text))
  } catch (err) {
    throw new LockfileError('bad-syntax', `${format}: not valid JSON(C): ${(err as Error).message}`, { cause: err })
  }
}
