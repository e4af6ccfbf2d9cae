import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{cli,node,hub,mesh,report,web,protocol,crdt,keys,advisories,test,scripts}/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
