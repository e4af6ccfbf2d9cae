// The peer baseline of bench:sync, run as a child process: a stock @hocuspocus/server (no
// extensions: no persistence, no auth) on loopback, holding one doc loaded from the Yjs
// update in argv[2] (the agent's findings doc). Prints `ws://127.0.0.1:<port>` once the doc is
// loaded, so a client's sync time measures the sync alone.
import { readFile } from 'node:fs/promises'
import { Server } from '@hocuspocus/server'
import * as Y from 'yjs'

const state = await readFile(process.argv[2]!)
const server = new Server({
  port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false,
  async onLoadDocument({ documentName, document }) {
    if (documentName === 'findings') Y.applyUpdate(document, state)
  },
})
await server.listen()
// Keeps the doc loaded for as long as the server runs (as an open editor session would).
await server.hocuspocus.openDirectConnection('findings')
console.log(`ws://127.0.0.1:${server.address.port}`)
process.on('SIGTERM', () => process.exit(0))
