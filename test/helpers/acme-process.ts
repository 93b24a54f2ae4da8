/**
 * The acme demo as a process of the multi-process harness (test/helpers/processes.ts): the
 * environment the harness gives (FSA_DB_URL, FSA_REDIS_URL, FSA_REDIS_PREFIX, FSA_TOKEN_SECRET)
 * becomes the demo's own (ACME_DB, ACME_REDIS_URL, ACME_REDIS_PREFIX, ACME_SECRET); ACME_REDIS_URL
 * set by the test wins (a private Redis the test may stop). argon2 runs cheap, as in the other
 * demo tests. It tells its parent the port over IPC: `{ ready: port }`, and its CPU time when asked
 * (`'cpu'`, answered `{ cpu: microseconds }`: bench/scale.ts).
 */
import { start } from '../../examples/acme/server.js'

const env = process.env
const { app } = await start({
  port: 0,
  env: {
    ACME_DB: env.FSA_DB_URL,
    ACME_REDIS_URL: env.ACME_REDIS_URL ?? env.FSA_REDIS_URL,
    ACME_REDIS_PREFIX: env.FSA_REDIS_PREFIX,
    ACME_SECRET: env.FSA_TOKEN_SECRET,
    ACME_PASS: env.ACME_PASS ?? 'Acme1',
    HOST: '127.0.0.1'
  },
  hashing: { memoryCost: 1024, timeCost: 1, allowWeak: true },
  logger: false,
  print: () => {}
})
const address = app.server.address()
process.send?.({ ready: typeof address === 'object' && address !== null ? address.port : 0 })
process.on('message', (m) => {
  if (m === 'cpu') { const used = process.cpuUsage(); process.send?.({ cpu: used.user + used.system }) }
})
const stop = (): void => { app.close().then(() => process.exit(0), () => process.exit(1)) }
process.on('SIGTERM', stop)
process.on('disconnect', stop)
