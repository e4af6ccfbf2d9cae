import { openAdvisoryDb } from '../../advisories/index.ts'
import { scan } from '../../node/index.ts'
const db = await openAdvisoryDb('/tmp/zt-bench-scan/db')
const t = performance.now()
const r = await scan({ roots: ['/tmp/zt-bench-scan/tree'], advisories: db, secrets: false, threads: Number(process.env.THREADS ?? 2) })
console.log(r.packages.length, r.findings.length, performance.now() - t)
await db.close()
