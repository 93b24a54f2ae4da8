/**
 * Token throughput: create and verify per second for fsa and JWT tokens, in one process, without
 * any cache in front (the token scheme caches verify results, so this is the cache-miss cost).
 * Run with `npx tsx bench/tokens.ts`; figures go to docs/reference/tokens.md.
 */
import { generateKeyPairSync } from 'node:crypto'
import Fastify from 'fastify'
import { createTokenManager, type TokenManager } from '../lib/tokens/manager.js'
import { resolveTokenOptions, type TokenOptions } from '../lib/tokens/options.js'

export const SECRET = 'bench-secret-0123456789-abcdefghijklmnop'
const pem = { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } } as const

/** Calls of `fn` per second over `ms` milliseconds, after a warm-up of 1,000 calls. */
export function rate (fn: (i: number) => unknown, ms = 1000): number {
  for (let i = 0; i < 1000; i++) fn(i) // warm-up
  let n = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < ms) {
    for (let i = 0; i < 200; i++) fn(n++)
    elapsed = performance.now() - start
  }
  return Math.round(n / (elapsed / 1000))
}

/** Create, verify and refuse (bad signature) rates per second of one token configuration, `ms` each. */
export async function tokenRates (opts: TokenOptions, ms = 1000): Promise<{ create: number, verify: number, refuse: number }> {
  const tokens: TokenManager = await createTokenManager(Fastify(), resolveTokenOptions(opts, 'acme'))
  const logins = Array.from({ length: 1000 }, (_, i) => `user${i}`)
  const created = logins.map((login) => tokens.create(login))
  const create = rate((i) => tokens.create(logins[i % 1000] ?? 'x'), ms)
  const verify = rate((i) => tokens.verify(created[i % 1000] ?? '', 'acme'), ms)
  const bad = created.map((t) => t.slice(0, -2) + (t.endsWith('AA') ? 'BB' : 'AA'))
  const refuse = rate((i) => { try { tokens.verify(bad[i % 1000] ?? '', 'acme') } catch { /* expected */ } }, ms)
  return { create, verify, refuse }
}

async function bench (label: string, opts: TokenOptions): Promise<void> {
  const { create, verify, refuse } = await tokenRates(opts)
  console.log(`| ${label} | ${create.toLocaleString('en')} | ${verify.toLocaleString('en')} | ${refuse.toLocaleString('en')} |`)
}

/** Whether this file is the script being run (not imported by bench/run.ts). */
const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')

if (isMain) {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: pem.publicKeyEncoding, privateKeyEncoding: pem.privateKeyEncoding })
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: pem.publicKeyEncoding, privateKeyEncoding: pem.privateKeyEncoding })
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`)
  console.log('| token | create/s | verify/s | refuse (bad signature)/s |')
  console.log('|---|---:|---:|---:|')
  await bench('fsa (HMAC-SHA256, 32 hex)', { type: 'fsa', secret: SECRET })
  await bench('JWT HS256', { type: 'jwt', secret: SECRET })
  await bench('JWT RS256 (2048-bit)', { type: 'jwt', algorithm: 'RS256', publicKey: rsa.publicKey, privateKey: rsa.privateKey })
  await bench('JWT ES256 (P-256)', { type: 'jwt', algorithm: 'ES256', publicKey: ec.publicKey, privateKey: ec.privateKey })
}
