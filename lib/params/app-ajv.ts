/**
 * The application's validator settings: the `ajv` option of `Fastify({ ajv })` (`customOptions`,
 * `plugins`, `onCreate`, `mode`), which the parameter layer starts from so that the application's
 * formats, keywords and options hold on the routes the plugin compiles too.
 *
 * Fastify 5 hands these settings only to a validator compiler factory (`schemaController.
 * compilersFactory.buildValidator`), and installing a factory would replace the application's own
 * (one given to the constructor cannot be seen or wrapped). So they are read where Fastify keeps
 * its normalised options: the instance property under its `fastify.options` symbol. If a future
 * Fastify moves them, the plugin says so at start-up and compiles with Fastify's defaults.
 */
import type { FastifyInstance } from 'fastify'

/** An Ajv plugin as `ajv.plugins` lists it: a function, or `[function, options]`. */
export type AjvPlugin = ((ajv: never, options?: unknown) => unknown) | [(ajv: never, options?: unknown) => unknown, unknown]

/** What the parameter layer takes from the application's validator settings. */
export interface AppAjvSettings {
  /** `ajv.customOptions`: Ajv constructor options. @default {} */
  customOptions: Readonly<Record<string, unknown>>
  /** `ajv.plugins`, applied to the plugin's Ajv as Fastify applies them to its own. @default [] */
  plugins: readonly AjvPlugin[]
  /** `ajv.onCreate(ajv)`, called once the plugins are applied. */
  onCreate: ((ajv: never) => void) | undefined
  /**
   * Why the application's validation must be kept on the plugin's routes as well (`ajv.mode:
   * 'JTD'`, a validator factory given to the constructor), or `undefined`.
   */
  foreign: string | undefined
  /** Whether the settings could be read (false: Fastify's defaults are used). */
  found: boolean
}

/** No application settings: Fastify's defaults. */
export const DEFAULT_APP_AJV: AppAjvSettings = Object.freeze({ customOptions: {}, plugins: [], onCreate: undefined, foreign: undefined, found: true })

function isRecord (v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** Fastify's normalised server options, found up the instance's prototype chain (child contexts inherit them). */
function serverOptions (fastify: FastifyInstance): Record<string, unknown> | undefined {
  for (let o: object | null = fastify; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const symbol = Object.getOwnPropertySymbols(o).find((s) => s.description === 'fastify.options')
    if (symbol !== undefined) {
      const value = (o as Record<symbol, unknown>)[symbol]
      return isRecord(value) ? value : undefined
    }
  }
  return undefined
}

/**
 * Read the application's validator settings.
 *
 * @example
 *   const app = Fastify({ ajv: { customOptions: { removeAdditional: 'all' }, plugins: [ajvKeywords] } })
 *   readAppAjv(app).customOptions // { removeAdditional: 'all' }
 */
export function readAppAjv (fastify: FastifyInstance): AppAjvSettings {
  const options = serverOptions(fastify)
  const ajv = options?.ajv
  if (!isRecord(ajv)) return { ...DEFAULT_APP_AJV, found: false }
  const factory = (options?.schemaController as { compilersFactory?: { buildValidator?: unknown } } | undefined)?.compilersFactory?.buildValidator
  let foreign: string | undefined
  if (ajv.mode === 'JTD') foreign = 'ajv.mode is JTD'
  else if (typeof factory === 'function') foreign = 'schemaController.compilersFactory.buildValidator is set'
  return {
    customOptions: isRecord(ajv.customOptions) ? ajv.customOptions : {},
    plugins: Array.isArray(ajv.plugins) ? ajv.plugins as AjvPlugin[] : [],
    onCreate: typeof ajv.onCreate === 'function' ? ajv.onCreate as (ajv: never) => void : undefined,
    foreign,
    found: true
  }
}

/** What the parameter rules need from Ajv, whatever the application chose. */
export const PARAM_NEEDS = Object.freeze({
  /** every problem of a request in one 400 */
  allErrors: true,
  /** text of query strings and forms converted, a single value accepted for a list */
  coerceTypes: 'array' as const
})

/**
 * The application's options that the parameter rules override, one phrase each
 * (`ajv.customOptions.allErrors is false`), for the start-up warning.
 */
export function ajvConflicts (settings: AppAjvSettings): string[] {
  const out: string[] = []
  for (const [key, needed] of Object.entries(PARAM_NEEDS)) {
    const given = settings.customOptions[key]
    if (given !== undefined && given !== needed) out.push(`ajv.customOptions.${key} is ${JSON.stringify(given)} (the parameter rules need ${JSON.stringify(needed)})`)
  }
  return out
}
