// The fsa CLI: commands run through main() with injected streams on a temporary SQLite file,
// actions called directly, and the real launcher run once as a subprocess.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable, Writable } from 'node:stream'
import { promisify } from 'node:util'
import { main } from '../lib/cli/main.js'
import type { CliIo } from '../lib/cli/io.js'
import { listUsersAction } from '../lib/cli/user-list.js'
import { tokenAction } from '../lib/cli/token.js'
import { createPasswordManager, resolvePasswordOptions } from '../lib/passwords/index.js'
import { createFsaCodec } from '../lib/tokens/fsa.js'
import { openStore } from '../lib/index.js'
import { migrations } from '../lib/store/migrations/index.js'
import { WITHIN_TTL } from '../lib/cli/notify.js'
import { buildApp } from './helpers/app.js'

const execFileAsync = promisify(execFile)
/** What a change says without Redis: running instances see it within their user TTL. */
const LATER = `${WITHIN_TTL}; without Redis (--redis) nothing tells them sooner\n`
const SECRET = 'a-test-secret-that-is-long-enough-for-hmac'
/** What commands taking a new password say on stderr without --min-length or --regex. */
const RULES_NOTE = "fsa: the library's default password rules apply (at least 8 characters), not necessarily the application's: give --min-length and --regex to apply those\n"
const passwords = createPasswordManager(resolvePasswordOptions({}))

interface Run { code: number, out: string, err: string }

function sink (): { stream: Writable, text: () => string } {
  let text = ''
  return { stream: new Writable({ write (chunk, _enc, cb) { text += String(chunk); cb() } }), text: () => text }
}

/** Run `fsa args` with `input` on stdin (not a terminal). */
async function fsa (args: string[], input = '', env: Record<string, string> = {}): Promise<Run> {
  const out = sink()
  const err = sink()
  const io: CliIo = { stdin: Readable.from([input]), stdout: out.stream, stderr: err.stream, env }
  const code = await main(args, io)
  return { code, out: out.text(), err: err.text() }
}

function tempDb (t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-cli-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return `sqlite://${join(dir, 'users.db')}`
}

test('user add reads the password from stdin, stores an argon2id hash, and user list/show print the user', async (t) => {
  const db = tempDb(t)
  const add = await fsa(['user', 'add', 'Calvin', '--email', 'calvin@example.org', '--confirmed', '--db', db], 'hobbes-tiger\n')
  assert.deepEqual(add, { code: 0, out: 'created user Calvin\n' + LATER, err: RULES_NOTE })
  const list = await fsa(['user', 'list'], '', { FSA_DB_URL: db })
  assert.equal(list.code, 0)
  assert.equal(list.out, 'Calvin\tcalvin@example.org\tactive\tconfirmed\tlogins=0\n')
  const show = await fsa(['user', 'show', 'calvin', '--db', db])
  assert.equal(show.code, 0)
  assert.match(show.out, /^login: Calvin$/m)
  assert.match(show.out, /^groups: $/m)
  assert.match(show.out, /^data: \{\}$/m)
  assert.doesNotMatch(show.out, /argon2/, 'the hash is never shown')
  const json = JSON.parse((await fsa(['user', 'show', 'calvin', '--json', '--db', db])).out)
  assert.equal(json.email, 'calvin@example.org')
  const store = await openStore(db)
  const info = await store.getPasswordHash('calvin')
  await store.close()
  assert.match(info?.hash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  assert.equal((await passwords.verify('hobbes-tiger', info?.hash ?? '')).ok, true)
})

test('duplicate users, unknown users and unknown groups fail with exit code 1 and a clear message', async (t) => {
  const db = tempDb(t)
  assert.equal((await fsa(['user', 'add', 'calvin', '--db', db], 'password-one\n')).code, 0)
  const dup = await fsa(['user', 'add', 'CALVIN', '--db', db], 'password-two\n')
  assert.equal(dup.code, 1)
  assert.equal(dup.err, RULES_NOTE + 'fsa: login "CALVIN" already exists\n')
  for (const args of [['user', 'show', 'ghost'], ['user', 'remove', 'ghost'], ['user', 'activate', 'ghost'], ['group', 'members', 'ghosts'], ['group', 'remove', 'ghosts']]) {
    const r = await fsa([...args, '--db', db])
    assert.equal(r.code, 1, args.join(' '))
    assert.match(r.err, /^fsa: no such (user "ghost"|group "ghosts")\n$/)
  }
  const noGroup = await fsa(['user', 'add', 'hobbes', '--group', 'admin', '--db', db], 'pass-word\n')
  assert.deepEqual([noGroup.code, noGroup.err], [1, 'fsa: no such group: admin\n'])
  const empty = await fsa(['user', 'add', 'hobbes', '--db', db], '\n')
  assert.deepEqual([empty.code, empty.err], [1, RULES_NOTE + 'fsa: empty password\n'])
  assert.equal((await fsa(['user', 'list', '--db', db])).out.split('\n').length, 2, 'no user was created by failures')
})

test('usage errors exit with code 2 and show the usage', async (t) => {
  const db = tempDb(t)
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /unknown command "frobnicate"/],
    [['user', 'frobnicate'], /unknown command "user frobnicate"/],
    [['user', 'add', '--db', db], /missing argument/],
    [['user', 'remove', 'a', 'b', '--db', db], /unexpected argument "b"/],
    [['user', 'list', '--colour', '--db', db], /Unknown option '--colour'/],
    [['user', 'list', '--limit', 'ten', '--db', db], /--limit must be a non-negative integer/],
    [['user', 'list', '--db', 'mysql://root:hunter2@localhost/db'], /unsupported store URL "mysql:\/\/root:\*\*\*@localhost\/db"/],
    [['user', 'list'], /no database: use --db URL or set FSA_DB_URL/],
    [['user', 'list', '--db', 'postgres://postgres@127.0.0.1:1/test', '--schema', 'Bad-Name'], /invalid option "schema"/]
  ]
  for (const [args, message] of cases) {
    const r = await fsa(args)
    assert.equal(r.code, 2, args.join(' '))
    assert.match(r.err, message)
    assert.match(r.err, /usage: fsa|fsa --help/)
    assert.doesNotMatch(r.err, /hunter2/)
  }
  const none = await fsa([])
  assert.equal(none.code, 2)
  assert.match(none.out, /usage: fsa COMMAND/)
  const help = await fsa(['--help'])
  assert.equal(help.code, 0)
  for (const c of ['migrate', 'user add', 'user passwd', 'group adduser', 'token', 'hash']) assert.match(help.out, new RegExp(`fsa ${c}`))
  const cmdHelp = await fsa(['user', 'add', '--help'])
  assert.deepEqual([cmdHelp.code, cmdHelp.out.split('\n')[0]], [0, 'usage: fsa user add LOGIN [--email EMAIL] [--group GROUP]... [--inactive] [--confirmed] [--min-length N] [--regex RE]...'])
})

test('passwd changes the hash and revokes tokens unless --keep-tokens; activate and deactivate toggle the account', async (t) => {
  const db = tempDb(t)
  await fsa(['user', 'add', 'calvin', '--inactive', '--db', db], 'old-password\n')
  assert.equal((await fsa(['user', 'passwd', 'calvin', '--db', db], 'new-password\n')).out, 'password changed for calvin, tokens revoked\n' + LATER)
  assert.equal((await fsa(['user', 'passwd', 'calvin', '--keep-tokens', '--db', db], 'newer-password\n')).code, 0)
  assert.equal((await fsa(['user', 'passwd', 'ghost', '--db', db], 'x\n')).code, 1)
  assert.equal((await fsa(['user', 'activate', 'calvin', '--db', db])).out, 'activated calvin\n' + LATER)
  const store = await openStore(db)
  t.after(() => store.close())
  const info = await store.getPasswordHash('calvin')
  assert.equal(info?.tokenVersion, 1)
  assert.equal(info?.active, true)
  assert.equal((await passwords.verify('newer-password', info?.hash ?? '')).ok, true)
  assert.equal((await fsa(['user', 'deactivate', 'calvin', '--db', db])).out, 'deactivated calvin\n' + LATER)
  assert.equal((await store.getPasswordHash('calvin'))?.active, false)
  assert.equal((await fsa(['user', 'remove', 'calvin', '--db', db])).out, 'removed user calvin\n' + LATER)
  assert.equal(await store.getUser('calvin'), null)
})

test('groups are created, listed, filled, emptied and removed', async (t) => {
  const db = tempDb(t)
  await fsa(['user', 'add', 'calvin', '--db', db], 'pass-word\n')
  await fsa(['user', 'add', 'hobbes', '--db', db], 'pass-word\n')
  assert.equal((await fsa(['group', 'add', 'admin', '--db', db])).out, 'created group admin\n')
  assert.equal((await fsa(['group', 'add', 'admin', '--db', db])).code, 1)
  await fsa(['group', 'add', 'staff', '--db', db])
  assert.equal((await fsa(['group', 'list', '--db', db])).out, 'admin\nstaff\n')
  assert.equal((await fsa(['group', 'adduser', 'admin', 'calvin', 'hobbes', '--db', db])).out, 'added calvin to admin\nadded hobbes to admin\n' + LATER)
  assert.equal((await fsa(['group', 'adduser', 'admin', 'calvin', '--db', db])).out, 'calvin already in admin\n' + LATER)
  assert.equal((await fsa(['group', 'adduser', 'admin', 'ghost', '--db', db])).code, 1)
  assert.equal((await fsa(['group', 'members', 'admin', '--db', db])).out, 'calvin\nhobbes\n')
  assert.equal((await fsa(['group', 'deluser', 'admin', 'hobbes', 'susie', '--db', db])).out, 'removed hobbes from admin\nsusie not in admin\n' + LATER)
  await fsa(['user', 'add', 'susie', '--group', 'admin', '--group', 'staff', '--db', db], 'pass-word\n')
  assert.match((await fsa(['user', 'show', 'susie', '--db', db])).out, /^groups: admin, staff$/m)
  assert.equal((await fsa(['group', 'remove', 'admin', '--db', db])).out, 'removed group admin\n' + LATER)
  assert.equal((await fsa(['group', 'list', '--db', db])).out, 'staff\n')
})

test('token prints an fsa token the plugin codec accepts, and checks the user when a database is given', async (t) => {
  const db = tempDb(t)
  const r = await fsa(['token', 'calvin', '--realm', 'acme', '--delay', '10'], '', { FSA_TOKEN_SECRET: SECRET })
  assert.equal(r.code, 0)
  const token = r.out.trim()
  assert.match(token, /^acme:calvin:\d{14}:[0-9a-f]{32}$/)
  const claims = createFsaCodec(SECRET, 32, 0).verify(token, 'acme')
  assert.equal(claims.login, 'calvin')
  assert.ok(Math.abs(claims.limit - (Date.now() + 600_000)) < 2000)
  assert.throws(() => createFsaCodec(SECRET + 'x', 32, 0).verify(token, 'acme'), { code: 'FSA_ERR_TOKEN_SIGNATURE' })
  assert.equal((await fsa(['token', 'calvin', '--realm', 'acme', '--secret', SECRET, '--db', db])).code, 1, 'unknown user')
  await fsa(['user', 'add', 'calvin', '--inactive', '--db', db], 'pass-word\n')
  const inactive = await fsa(['token', 'calvin', '--realm', 'acme', '--secret', SECRET, '--db', db])
  assert.deepEqual([inactive.code, inactive.err], [1, 'fsa: user "calvin" is not active\n'])
  await fsa(['user', 'activate', 'calvin', '--db', db])
  assert.equal((await fsa(['token', 'calvin', '--realm', 'acme', '--secret', SECRET, '--db', db])).code, 0)
  for (const [args, message] of [
    [['token', 'calvin', '--secret', SECRET], /--realm is required/],
    [['token', 'calvin', '--realm', 'acme'], /no secret/],
    [['token', 'calvin', '--realm', 'acme', '--secret', 'short'], /at least 32 bytes/],
    [['token', 'calvin', '--realm', 'acme', '--secret', SECRET, '--delay=-5'], /--delay must be a positive number/],
    [['token', 'calvin', '--realm', 'acme', '--secret', SECRET, '--delay', '0'], /--delay must be a positive number/]
  ] as Array<[string[], RegExp]>) {
    const bad = await fsa(args)
    assert.equal(bad.code, 2, args.join(' '))
    assert.match(bad.err, message)
    assert.doesNotMatch(bad.err, new RegExp(SECRET))
  }
})

test('token actions can be called directly with a fixed clock', async () => {
  const out = sink()
  const io: CliIo = { stdin: Readable.from(['']), stdout: out.stream, stderr: sink().stream, env: {} }
  const token = await tokenAction(null, io, { login: 'calvin', realm: 'Acme Corp', secret: SECRET, delay: 1, now: Date.UTC(2030, 0, 2, 3, 4, 5) })
  assert.match(token, /^Acme-Corp:calvin:20300102030505:[0-9a-f]{32}$/)
  assert.equal(out.text(), token + '\n')
})

test('hash prints an argon2id hash at OWASP parameters that verifies the password', async () => {
  const r = await fsa(['hash'], 'correct horse\r\nignored line\n')
  assert.equal(r.code, 0)
  const hash = r.out.trim()
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  assert.equal((await passwords.verify('correct horse', hash)).ok, true)
  assert.equal((await fsa(['hash'], '')).code, 1, 'empty stdin')
})

test('on a terminal the password is prompted twice without echo, with backspace, and a mismatch fails', async () => {
  async function tty (keys: string[]): Promise<Run & { raw: boolean[] }> {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, raw: [] as boolean[], setRawMode (v: boolean) { this.raw.push(v) } })
    const out = sink()
    const err = sink()
    const running = main(['hash', '--min-length', '3'], { stdin, stdout: out.stream, stderr: err.stream, env: {} })
    for (const k of keys) { await new Promise((resolve) => setTimeout(resolve, 5)); stdin.write(k) }
    return { code: await running, out: out.text(), err: err.text(), raw: stdin.raw }
  }
  const ok = await tty(['secrex\u007ft', '\r', 'secret\n'])
  assert.equal(ok.code, 0)
  assert.equal(ok.err, 'Password: \nPassword (again): \n')
  assert.doesNotMatch(ok.err + ok.out, /secret/, 'nothing echoed')
  assert.equal((await passwords.verify('secret', ok.out.trim())).ok, true)
  assert.deepEqual(ok.raw, [true, false, true, false])
  const mismatch = await tty(['one\r', 'two\r'])
  assert.deepEqual([mismatch.code, mismatch.err.split('\n').at(-2)], [1, 'fsa: passwords do not match'])
  const cancelled = await tty(['abc\u0003'])
  assert.deepEqual([cancelled.code, cancelled.err.split('\n').at(-2)], [1, 'fsa: cancelled'])
})

test("new passwords follow the library's default rules unless --min-length and --regex give the application's", async (t) => {
  const db = tempDb(t)
  const short = await fsa(['user', 'add', 'calvin', '--db', db], 'hobbes\n')
  assert.deepEqual(short, { code: 1, out: '', err: RULES_NOTE + 'fsa: password is too short, must be at least 8 characters\n' })
  const app = await fsa(['user', 'add', 'calvin', '--min-length', '5', '--regex', '[0-9]', '--db', db], 'hobbes\n')
  assert.deepEqual([app.code, app.err], [1, 'fsa: password must match [0-9]\n'])
  assert.deepEqual(await fsa(['user', 'add', 'calvin', '--min-length', '5', '--regex', '[0-9]', '--db', db], 'hobbes5\n'), { code: 0, out: 'created user calvin\n' + LATER, err: '' })
  const passwd = await fsa(['user', 'passwd', 'calvin', '--db', db], 'tiger\n')
  assert.deepEqual([passwd.code, passwd.err], [1, RULES_NOTE + 'fsa: password is too short, must be at least 8 characters\n'])
  assert.equal((await fsa(['hash', '--min-length', 'x'], 'tiger\n')).code, 2)
})

test('migrate applies, reports up to date, and reverts with --down', async (t) => {
  const db = tempDb(t)
  const all = migrations.map((m) => m.name)
  assert.deepEqual(await fsa(['migrate', '--db', db]), { code: 0, out: all.map((n) => `applied ${n}\n`).join(''), err: '' })
  assert.deepEqual(await fsa(['migrate', '--db', db]), { code: 0, out: 'database is up to date\n', err: '' })
  for (const name of [...all].reverse()) {
    assert.deepEqual(await fsa(['migrate', '--down', '--db', db]), { code: 0, out: `reverted ${name}\n`, err: '' })
  }
  assert.deepEqual(await fsa(['migrate', '--down', '--db', db]), { code: 0, out: 'nothing to revert\n', err: '' })
})

test('an unreachable database fails with exit code 1 and says why', async () => {
  const r = await fsa(['user', 'list', '--db', 'postgres://postgres@127.0.0.1:1/test'])
  assert.equal(r.code, 1)
  assert.match(r.err, /^fsa: user store unavailable, retry later \(.*ECONNREFUSED.*\)\n$/)
  const m = await fsa(['migrate', '--db', 'postgres://postgres@127.0.0.1:1/test'])
  assert.equal(m.code, 1)
  assert.match(m.err, /migration \(setup\) failed: .*ECONNREFUSED/)
})

test('user list pages, searches and prints JSON when called as an action', async (t) => {
  const store = await openStore('sqlite::memory:')
  t.after(() => store.close())
  for (const login of ['alice', 'bob', 'carol']) await store.createUser({ login, password: 'h' })
  const out = sink()
  const io: CliIo = { stdin: Readable.from(['']), stdout: out.stream, stderr: sink().stream, env: {} }
  const users = await listUsersAction(store, io, { search: 'o', json: true })
  assert.deepEqual(users.map((u) => u.login), ['bob', 'carol'])
  assert.deepEqual(JSON.parse(out.text()).map((u: { login: string }) => u.login), ['bob', 'carol'])
  const paged = await fsa(['user', 'list', '--offset', '1', '--limit', '1', '--db', 'sqlite::memory:'])
  assert.deepEqual(paged, { code: 0, out: '', err: '' })
})

test('the fsa launcher runs the CLI as a real process with exit codes', async () => {
  const bin = new URL('../bin/fsa.js', import.meta.url).pathname
  const ok = await execFileAsync(process.execPath, [bin, 'user', 'list', '--db', 'sqlite::memory:'])
  assert.equal(ok.stdout, '')
  await assert.rejects(execFileAsync(process.execPath, [bin, 'nope']), (e: { code?: number, stderr?: string }) => {
    assert.equal(e.code, 2)
    assert.match(e.stderr ?? '', /unknown command "nope"/)
    return true
  })
  const running = execFileAsync(process.execPath, ['--import', 'tsx', new URL('../lib/cli/main.ts', import.meta.url).pathname, 'hash'])
  running.child.stdin?.end('pass phrase\n')
  const direct = await running
  assert.match(direct.stdout, /^\$argon2id\$/)
})

test('a CLI token works on the plugin after a password change, for the stored spelling of the login', async (t) => {
  const db = tempDb(t)
  await fsa(['user', 'add', 'Calvin', '--db', db], 'first-password\n')
  await fsa(['user', 'passwd', 'calvin', '--db', db], 'second-password\n') // bumps the token version
  const r = await fsa(['token', 'CALVIN', '--realm', 'acme', '--secret', SECRET, '--db', db])
  assert.equal(r.code, 0)
  const token = r.out.trim()
  assert.match(token, /^acme:Calvin:/)
  const app = await buildApp(t, { store: db, auth: ['token'], realm: 'acme', token: { secret: SECRET } }, (app) => {
    app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
  })
  const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })
  assert.deepEqual([res.statusCode, res.json()], [200, { user: 'Calvin' }])
})
