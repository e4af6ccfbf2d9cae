import { describe, expect, it } from 'vitest'
import { logicalLines } from './requirement-lines.ts'

describe('logicalLines (pip join_lines + ignore_comments)', () => {
  it('joins continued lines, dropping the backslashes', () => {
    expect(logicalLines('foo==\\\n\\\n \\\n  \\\n1.2.3\nbar==1 \\\n  --hash=sha256:00\n')).toEqual(['foo==   1.2.3', 'bar==1   --hash=sha256:00'])
  })

  it('strips comments after joining, so a comment swallows the continued line', () => {
    expect(logicalLines('baz == 7.8.9 # \\\nbaz == 1.2.3\nqux\n')).toEqual(['baz == 7.8.9', 'qux'])
  })

  it('does not continue a comment line, even one ending in a backslash', () => {
    expect(logicalLines('a==1 \\\n  # note \\\nb==2\n')).toEqual(['a==1', 'b==2'])
    expect(logicalLines('# only \\\nc==3\n')).toEqual(['c==3'])
  })

  it('joins on any number of trailing backslashes, as pip does', () => {
    expect(logicalLines('bar == 4.5\\\\\n.6\n')).toEqual(['bar == 4.5.6'])
  })

  it('keeps a # that does not follow whitespace', () => {
    expect(logicalLines('pkg==1.0 --hash=sha256:abc;#x\nurl#egg=x # comment\n')).toEqual(['pkg==1.0 --hash=sha256:abc;#x', 'url#egg=x'])
  })

  it('ends a continuation at the end of the file, and reads CRLF and CR line ends', () => {
    expect(logicalLines('qux == 10.11.12\\')).toEqual(['qux == 10.11.12'])
    expect(logicalLines('a==1\r\nb==2 \\\r\n  --hash=x\rc==3')).toEqual(['a==1', 'b==2   --hash=x', 'c==3'])
  })

  it('drops blank and comment-only lines', () => {
    expect(logicalLines('\n   \n# hello\n\t# indented\n')).toEqual([])
  })
})
