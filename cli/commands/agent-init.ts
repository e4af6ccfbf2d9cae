// `zt agent init`: a new agent key; the agent id is its libp2p PeerId.
import { resolve } from 'node:path'
import { createAgentKey } from '../../keys/index.ts'
import { printJson, println, requireString, type Command } from '../command.ts'

export const agentInit: Command = {
  path: ['agent', 'init'],
  summary: 'create an agent key in a data dir and print the agent id',
  usage: '--data DIR',
  help: ['--data DIR    the agent data dir (created 0700; the key file is 0600; never overwritten)'],
  options: { data: { type: 'string' } },
  async run(opts, _args, ctx) {
    const dir = resolve(ctx.cwd, requireString(opts, 'data'))
    const identity = await createAgentKey(dir)
    if (opts.json) return printJson(ctx, { agentId: identity.peerId, data: dir })
    println(ctx, identity.peerId)
  },
}
