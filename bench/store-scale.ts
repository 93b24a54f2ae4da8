// Scale figure for the SQLite user store: `npx tsx bench/store-scale.ts [N]` inserts N users
// (default 1,000,000) in batched transactions into a temporary file, then measures the two
// per-request calls of authentication through the store: getPasswordHash and recordLogin.
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openStore } from '../lib/store/open.js'

const N = Number(process.argv[2] ?? 1_000_000)
const SAMPLES = 10_000
const BATCH = 10_000
// a real argon2id hash shape; hashing a million passwords is not what is measured here
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU'

const dir = mkdtempSync(join(tmpdir(), 'fsa-scale-'))
const file = join(dir, 'users.db')
const ms = (ns: bigint) => Number(ns) / 1e6

function percentiles (samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b)
  const at = (p: number) => (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN).toFixed(3)
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`
}

try {
  const store = await openStore(`sqlite://${file}`)
  let t0 = process.hrtime.bigint()
  // bulk load through a second connection: one prepared INSERT, BATCH rows per transaction
  const raw = new Database(file)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  const insert = raw.prepare(`insert into users (login, login_lower, email, email_lower, password, created_at)
    values (?, ?, ?, ?, ?, ?)`)
  const load = raw.transaction((from: number, to: number) => {
    const now = new Date().toISOString()
    for (let i = from; i < to; i++) {
      const login = `user${i}`
      insert.run(login, login, `${login}@example.org`, `${login}@example.org`, HASH, now)
    }
  })
  for (let i = 0; i < N; i += BATCH) load(i, Math.min(N, i + BATCH))
  raw.pragma('wal_checkpoint(TRUNCATE)')
  raw.close()
  const loadMs = ms(process.hrtime.bigint() - t0)

  const pick = () => `User${Math.floor(Math.random() * N)}` // mixed case: the case-insensitive path
  const lookups: number[] = []
  t0 = process.hrtime.bigint()
  for (let i = 0; i < SAMPLES; i++) {
    const s = process.hrtime.bigint()
    const info = await store.getPasswordHash(pick())
    lookups.push(ms(process.hrtime.bigint() - s))
    if (info === null) throw new Error('lookup missed')
  }
  const lookupTotal = ms(process.hrtime.bigint() - t0)

  const logins: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const s = process.hrtime.bigint()
    await store.recordLogin(pick(), '127.0.0.1')
    logins.push(ms(process.hrtime.bigint() - s))
  }

  const creates: number[] = []
  for (let i = 0; i < 1000; i++) {
    const s = process.hrtime.bigint()
    await store.createUser({ login: `fresh${i}`, password: HASH })
    creates.push(ms(process.hrtime.bigint() - s))
  }
  await store.close()
  const size = statSync(file).size + (existsSync(file + '-wal') ? statSync(file + '-wal').size : 0)

  console.log(`users:             ${N.toLocaleString('en')}`)
  console.log(`bulk load:         ${(loadMs / 1000).toFixed(1)} s (${Math.round(N / (loadMs / 1000)).toLocaleString('en')} rows/s)`)
  console.log(`getPasswordHash:   ${percentiles(lookups)} (${Math.round(SAMPLES / (lookupTotal / 1000)).toLocaleString('en')}/s sequential)`)
  console.log(`recordLogin:       ${percentiles(logins)}`)
  console.log(`createUser:        ${percentiles(creates)}`)
  console.log(`file size:         ${(size / 1024 / 1024).toFixed(1)} MiB (${Math.round(size / N)} bytes/user)`)
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
