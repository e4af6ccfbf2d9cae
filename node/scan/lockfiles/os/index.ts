// Package databases of installed operating systems: dpkg (Debian, Ubuntu) and apk (Alpine).
import type { LockfileParser } from '../parser.ts'
import { apkInstalled } from './apk-installed.ts'
import { dpkgStatus } from './dpkg-status.ts'

export const parsers: LockfileParser[] = [dpkgStatus, apkInstalled]

export const fixtureFormats: Record<string, string> = {
  'osv-scanner-v1/dpkg': 'dpkg-status',
  'osv-scanner-v1/apk': 'apk-installed',
}

export const knownDifferences: Record<string, string> = {}
