import { describe, expect, it } from 'vitest'
import { LockfileError } from '../parser.ts'
import { childText, elementsAt, parseXmlTree } from './xml-tree.ts'

describe('xml-tree', () => {
  it('reads elements, text, entities, CDATA and namespaces, skipping what is not content', () => {
    const root = parseXmlTree(`\ufeff<?xml version="1.0"?>
<!DOCTYPE project [ <!ENTITY lol "lol&lol;"> ]>
<!-- a comment with <tags> -->
<m:project xmlns:m="urn:x" attr="a > b">
  <name>A &amp; B &#x41;&#66; &lol;</name>
  <raw><![CDATA[<not a tag>]]></raw>
  <empty/>
  <list><item>1</item><item>2</item></list>
</m:project>`, 'test.xml')
    expect(root.name).toBe('project')
    expect(childText(root, 'name')).toBe('A & B AB &lol;')
    expect(childText(root, 'raw')).toBe('<not a tag>')
    expect(childText(root, 'empty')).toBe('')
    expect(childText(root, 'missing')).toBeUndefined()
    expect(elementsAt(root, 'list', 'item').map((e) => e.text)).toEqual(['1', '2'])
  })

  it('names malformed XML as bad-syntax', () => {
    const cases = [
      '<a><b></a>', '<a>', '<a></a><b></b>', 'text<a/>', '<a><!-- open</a>', '<a><![CDATA[x</a>',
      '<a attr="x></a>', '<${x}>1</${x}>', '', '<a></a>trailing',
    ]
    for (const text of cases) {
      try {
        parseXmlTree(text, 'test.xml')
        expect.unreachable(text)
      } catch (err) {
        expect((err as LockfileError).code, text).toBe('bad-syntax')
      }
    }
  })
})
