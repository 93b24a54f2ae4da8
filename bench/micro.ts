/**
 * Micro figures for the benchmark report, reusing bench/tokens.ts and bench/argon2.ts: fsa token
 * create and verify per second, JWT (HS256) verify per second, and the argon2id hash and verify
 * time at the configured (default) parameters.
 */
import { tokenRates, SECRET } from './tokens.js'
import { sequential, params } from './argon2.js'
import { PASSWORD_DEFAULTS } from '../lib/passwords/options.js'

/** The micro figures. */
export interface MicroResult {
  fsaCreatePerSec: number
  fsaVerifyPerSec: number
  jwtCreatePerSec: number
  jwtVerifyPerSec: number
  argon2: { backend: string, memoryCost: number, timeCost: number, parallelism: number, hashMs: number, verifyMs: number, runs: number }
}

/** Measure the micro figures: `ms` per token rate, `runs` argon2 hashes. */
export async function measureMicro (ms: number, runs: number): Promise<MicroResult> {
  const fsa = await tokenRates({ type: 'fsa', secret: SECRET }, ms)
  const jwt = await tokenRates({ type: 'jwt', secret: SECRET }, ms)
  const a = await sequential(PASSWORD_DEFAULTS.backend, runs)
  return {
    fsaCreatePerSec: fsa.create,
    fsaVerifyPerSec: fsa.verify,
    jwtCreatePerSec: jwt.create,
    jwtVerifyPerSec: jwt.verify,
    argon2: { backend: PASSWORD_DEFAULTS.backend, ...params, hashMs: Math.round(a.hash * 10) / 10, verifyMs: Math.round(a.verify * 10) / 10, runs }
  }
}
