/**
 * Bodies of GET requests. Fastify never parses them (GET is "bodyless" to its router), but
 * FlaskSimpleAuth accepts a GET route's parameters from a JSON or form body too. This reads such a
 * body, within the route's `bodyLimit`, once authentication has passed.
 */
import type { FastifyRequest } from 'fastify'
import { decodeJson } from './json-text.js'
import { isFormType, setOwn, type Bag } from './merge.js'

/** Outcome of {@link readGetBody}: the parsed body, or a problem with its status. */
export type GetBody = { ok: true, body: unknown } | { ok: false, status: number, message: string }

const JSON_TYPE = 'application/json'
const DEFAULT_LIMIT = 1024 * 1024
// requests whose body a hook has started reading: the stream is consumed once, and a blank body
// leaves `request.body` undefined, so a later hook must not wait for it again (it never ends)
const consumed = new WeakSet<FastifyRequest>()

function isJsonType (contentType: string): boolean {
  return contentType.slice(0, JSON_TYPE.length).toLowerCase() === JSON_TYPE
}

/** Whether this GET request carries a JSON or form body worth reading. */
export function hasGetBody (request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false
  const type = request.headers['content-type']
  if (type === undefined || !(isFormType(type) || isJsonType(type))) return false
  const length = request.headers['content-length']
  return (request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')) && !consumed.has(request)
}

/** Parse form text into an object: repeated keys give lists, any name is an own property. */
export function parseForm (text: string): Bag {
  const out: Bag = Object.create(null)
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = out[key]
    setOwn(out, key, prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value])
  }
  return out
}

/**
 * Read and parse the body of a GET request: 413 beyond the route's `bodyLimit`, 400 for invalid
 * JSON or a `__proto__` key. Calls back exactly once.
 */
export function readGetBody (request: FastifyRequest, callback: (result: GetBody) => void): void {
  consumed.add(request)
  const limit = request.routeOptions.bodyLimit ?? DEFAULT_LIMIT
  const raw = request.raw
  const chunks: Buffer[] = []
  let size = 0
  let finished = false
  const finish = (result: GetBody): void => {
    if (finished) return
    finished = true
    raw.removeListener('data', onData)
    raw.removeListener('end', onEnd)
    raw.removeListener('error', onError)
    callback(result)
  }
  const onData = (chunk: Buffer): void => {
    size += chunk.length
    if (size > limit) { finish({ ok: false, status: 413, message: 'request body is too large' }); return }
    chunks.push(chunk)
  }
  const onEnd = (): void => {
    const text = Buffer.concat(chunks).toString('utf8')
    if (isFormType(request.headers['content-type'])) { finish({ ok: true, body: parseForm(text) }); return }
    if (text.trim() === '') { finish({ ok: true, body: undefined }); return }
    const r = decodeJson(text)
    finish(r.ok ? { ok: true, body: r.value } : { ok: false, status: 400, message: `body: ${r.reason}` })
  }
  const onError = (): void => { finish({ ok: false, status: 400, message: 'body: cannot be read' }) }
  const declared = Number(request.headers['content-length'])
  if (declared > limit) { finish({ ok: false, status: 413, message: 'request body is too large' }); return }
  raw.on('data', onData)
  raw.on('end', onEnd)
  raw.on('error', onError)
}
