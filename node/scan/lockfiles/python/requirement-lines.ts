// A pip requirements file as pip reads it into logical lines (pip/_internal/req/req_file.py:
// join_lines, then ignore_comments): a line ending in a backslash continues on the next
// one (backslashes at both ends of it dropped), unless it starts with a comment; comments
// (`#` at the start or after whitespace) are stripped only after joining, so a comment can
// swallow a continued line; blank lines are dropped.

/** The logical lines of a requirements file, comments removed and trimmed. */
export function logicalLines(text: string): string[] {
  const lines = text.includes('\r') ? text.split(/\r\n?|\n/) : text.split('\n')
  const out: string[] = []
  let pending: string | undefined
  for (let line of lines) {
    const comment = startsWithComment(line)
    if (line.charCodeAt(line.length - 1) !== BACKSLASH || comment) {
      if (comment) line = ' ' + line
      if (pending !== undefined) {
        push(out, pending + line)
        pending = undefined
      } else {
        push(out, line)
      }
    } else {
      pending = (pending ?? '') + stripBackslashes(line)
    }
  }
  if (pending !== undefined) push(out, pending)
  return out
}

const BACKSLASH = 92
const HASH = 35

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

function startsWithComment(line: string): boolean {
  let i = 0
  while (i < line.length && isSpace(line.charCodeAt(i))) i++
  return line.charCodeAt(i) === HASH
}

function stripBackslashes(line: string): string {
  let start = 0
  let end = line.length
  while (start < end && line.charCodeAt(start) === BACKSLASH) start++
  while (end > start && line.charCodeAt(end - 1) === BACKSLASH) end--
  return line.slice(start, end)
}

function push(out: string[], line: string): void {
  // The first `#` at the start of the line or after whitespace opens the comment.
  let i = line.indexOf('#')
  while (i > 0 && !isSpace(line.charCodeAt(i - 1))) i = line.indexOf('#', i + 1)
  const kept = (i === -1 ? line : line.slice(0, i)).trim()
  if (kept !== '') out.push(kept)
}
