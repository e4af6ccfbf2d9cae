// How reports name the tool that produced them.
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

export const TOOL = { name: 'ZeroTrace', vendor: 'ZeroTrace', version: pkg.version, uri: 'https://github.com/zerotrace/zerotrace' }
