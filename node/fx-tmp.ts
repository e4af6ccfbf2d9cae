import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parsers } from './scan/lockfiles/index.ts'
const [set, fixture, parserId] = process.argv.slice(2)
const dir = `/work/shared/data/lockfiles/${set}`
const exp = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8')).entries.filter((e: any) => e.fixture === fixture)
const p = parsers.find((x) => x.id === parserId)!
const file = join(dir, fixture!)
const got = p.parse(readFileSync(file, 'utf8'), { path: fixture!, readRelative: (r) => { try { return readFileSync(join(dirname(file), r), 'utf8') } catch { return undefined } } })
console.log('GOT ', got.map((x) => `${x.sourceName ?? x.name}@${x.sourceVersion ?? x.version}`).sort().join(' '))
for (const e of exp) console.log('WANT', e.packages.map((x: any) => `${x.name}@${x.version}`).sort().join(' '))
