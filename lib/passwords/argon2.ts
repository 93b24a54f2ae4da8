/**
 * argon2 backends: `@node-rs/argon2` (the Rust implementation, the default) and `argon2`
 * (node-argon2, on the reference C implementation). Both write the PHC string format, so each verifies the other's hashes and a
 * deployment can switch backends without touching stored hashes. New hashes are always argon2id
 * (RFC 9106's recommended variant); argon2i and argon2d hashes are verified and flagged for rehash.
 */
import type * as NodeArgon2 from 'argon2'
import type * as RsArgon2 from '@node-rs/argon2'
import { loadPeer, requirePeer } from '../core/peers.js'

/** The cost parameters of an argon2id hash. */
export interface Argon2Params {
  /** KiB of memory */
  memoryCost: number
  /** passes over memory */
  timeCost: number
  /** lanes */
  parallelism: number
}

/** Backend names accepted by the `backend` option. */
export type Argon2BackendName = 'argon2' | '@node-rs/argon2'

/** One argon2 implementation behind a two-function interface. Both functions may throw on bad input. */
export interface Argon2Backend {
  readonly name: Argon2BackendName
  /** Load the native binding now (start-up), rather than with the first hash. */
  load (): Promise<void>
  /** An argon2id PHC string for `password`, with a fresh random salt. */
  hash (password: string, params: Argon2Params): Promise<string>
  /** Whether `password` matches `digest` (any argon2 variant); throws when `digest` cannot be decoded. */
  verify (digest: string, password: string): Promise<boolean>
}

// A numeric literal: @node-rs/argon2 declares Algorithm as an ambient const enum, which
// isolatedModules cannot inline.
const RS_ARGON2ID = 2 as RsArgon2.Algorithm

// Both bindings are loaded on first use (or by `load()` at start-up), so an application that only
// checks tokens never loads a native module. `@node-rs/argon2` is a dependency and the default;
// `argon2` an optional peer (docs/architecture.md, "Packaging", says why).
const WHY_NODE = "password.backend 'argon2'"
let nodeArgon2: Promise<typeof NodeArgon2> | undefined
let rsArgon2: Promise<typeof RsArgon2> | undefined
const loadNode = (): Promise<typeof NodeArgon2> => (nodeArgon2 ??= loadPeer('argon2', WHY_NODE, () => import('argon2')))
const loadRs = (): Promise<typeof RsArgon2> => (rsArgon2 ??= import('@node-rs/argon2'))

const backends: Readonly<Record<Argon2BackendName, Argon2Backend>> = Object.freeze({
  argon2: {
    name: 'argon2',
    load: async () => { await loadNode() },
    hash: async (password: string, p: Argon2Params) => {
      const a = await loadNode()
      return await a.hash(password, { type: a.argon2id, memoryCost: p.memoryCost, timeCost: p.timeCost, parallelism: p.parallelism })
    },
    verify: async (digest: string, password: string) => await (await loadNode()).verify(digest, password)
  },
  '@node-rs/argon2': {
    name: '@node-rs/argon2',
    load: async () => { await loadRs() },
    hash: async (password: string, p: Argon2Params) =>
      await (await loadRs()).hash(password, { algorithm: RS_ARGON2ID, memoryCost: p.memoryCost, timeCost: p.timeCost, parallelism: p.parallelism }),
    verify: async (digest: string, password: string) => await (await loadRs()).verify(digest, password)
  }
})

/**
 * The backend called `name`. Its binding loads with the first hash or verification, or `load()`;
 * the optional backend (`argon2`) fails here when it is not installed (FSA_ERR_OPT_PEER_MISSING).
 *
 * @example
 *   const digest = await argon2Backend('@node-rs/argon2').hash('s3cret!', { memoryCost: 19456, timeCost: 2, parallelism: 1 })
 */
export function argon2Backend (name: Argon2BackendName): Argon2Backend {
  if (name === 'argon2') requirePeer('argon2', WHY_NODE)
  return backends[name]
}

/** What a PHC argon2 string says about itself. */
export interface Argon2HashInfo extends Argon2Params {
  variant: 'argon2id' | 'argon2i' | 'argon2d'
  /** 19 (0x13) for current hashes, 16 (0x10) when the `v=` field is absent (pre-1.3 hashes) */
  version: number
}

const B64 = /^[A-Za-z0-9+/]+$/

/**
 * Decode the header of an argon2 PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), with the
 * parameters in any order (node-argon2 writes `m,p,t`). Returns `null` when it is not one.
 *
 * @example
 *   parseArgon2Hash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA') // { variant: 'argon2id', version: 19, memoryCost: 19456, ... }
 */
export function parseArgon2Hash (digest: string): Argon2HashInfo | null {
  const parts = digest.split('$')
  if (parts.length !== 5 && parts.length !== 6) return null
  const [empty, variant] = parts
  if (empty !== '' || (variant !== 'argon2id' && variant !== 'argon2i' && variant !== 'argon2d')) return null
  let version = 16
  if (parts.length === 6) {
    const v = /^v=(\d{1,3})$/.exec(parts[2] as string)
    if (v === null) return null
    version = Number(v[1])
  }
  const [params, salt, hash] = parts.slice(-3) as [string, string, string]
  if (!B64.test(salt) || !B64.test(hash)) return null
  const found: Record<string, number> = {}
  for (const field of params.split(',')) {
    const kv = /^([a-z]+)=(\d{1,10})$/.exec(field)
    if (kv !== null) found[kv[1] as string] = Number(kv[2])
    else if (!/^(keyid|data)=[A-Za-z0-9+/]*$/.test(field)) return null
  }
  const { m, t, p } = found
  if (m === undefined || t === undefined || p === undefined) return null
  return { variant, version, memoryCost: m, timeCost: t, parallelism: p }
}

/**
 * Whether a verified argon2 hash should be replaced: another variant than argon2id, an older
 * version, or less memory or fewer passes than configured. Parallelism is not compared: more lanes
 * do not make a hash harder to crack.
 */
export function argon2NeedsRehash (info: Argon2HashInfo, params: Argon2Params): boolean {
  return info.variant !== 'argon2id' || info.version !== 19 ||
    info.memoryCost < params.memoryCost || info.timeCost < params.timeCost
}
