// Every `zt` command, in the order `zt --help` lists them.
import type { Command } from '../command.ts'
import { agentInit } from './agent-init.ts'
import { agentExport, agentFindings, agentLog, agentRun, agentStatusCommand } from './agent.ts'
import { hubUserCommands } from './hub-user.ts'
import { hubAgentsCommand, hubFindingsCommand, hubImport, hubStart } from './hub.ts'
import { dbImport, dbStatus } from './db.ts'
import { hubDbImport, hubDbImportEpss, hubDbImportKev, hubDbStatus } from './hub-db.ts'
import { hubVexImport, hubVexList } from './hub-vex.ts'
import { scanCommand } from './scan.ts'
import { keysCrl, keysList, keysRevoke, keysSignAgent, keysVerify } from './keys.ts'
import { tenantCreate, tenantList } from './tenant.ts'

export const commands: Command[] = [
  tenantCreate, tenantList,
  agentInit, agentRun, agentFindings, agentStatusCommand, agentLog, agentExport,
  hubStart, hubFindingsCommand, hubAgentsCommand, hubImport,
  ...hubUserCommands,
  hubDbImport, hubDbImportEpss, hubDbImportKev, hubDbStatus,
  hubVexImport, hubVexList,
  keysSignAgent, keysVerify, keysRevoke, keysList, keysCrl,
  scanCommand,
  dbImport, dbStatus,
]
