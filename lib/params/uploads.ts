/**
 * File uploads as parameters (FlaskSimpleAuth's `FileStorage` parameters). The `uploads` option
 * registers @fastify/multipart (an optional peer) app-wide, as an opt-in since it adds a parser
 * for `multipart/form-data`, with its fields attached to the body within the option's limits
 * (over a limit: 413). The parameter step then turns each file into an {@link UploadedFile} and
 * each text field into its text, decoded as a form value; a route declares a file with
 * {@link FileUpload} in its body schema. Files only come from multipart bodies: a string, or an
 * object in a JSON body, is not a file (400).
 */
import type { FastifyInstance } from 'fastify'
import { Type } from '../options/schema.js'
import { loadPeer } from '../core/peers.js'
import { isBag, setOwn, type Bag } from './merge.js'

/** The schema keyword that marks a file parameter. */
export const FILE_KEYWORD = 'x-fsa-file'

/** A file sent in a multipart body, read into memory (within the `uploads.limits`). */
export class UploadedFile {
  constructor (
    /** The file name the client gave (never trust it as a path). */
    readonly filename: string,
    /** The media type the client gave. */
    readonly mimetype: string,
    /** The transfer encoding of the part. */
    readonly encoding: string,
    /** The content. */
    readonly data: Buffer
  ) {}

  /** Size in bytes. */
  get size (): number { return this.data.length }
}

/**
 * A file parameter, in a body schema: `Type.Object({ photo: FileUpload })`. Combine with
 * `Type.Optional` when the file may be absent, `Type.Array(FileUpload)` for several.
 *
 * @example
 *   app.post('/photo', { config: { authorize: 'AUTH' }, schema: { body: Type.Object({ photo: FileUpload, title: Type.String() }) } },
 *     async (req) => ({ name: req.body.photo.filename, bytes: req.body.photo.size }))
 */
export const FileUpload = Type.Unsafe<UploadedFile>({ [FILE_KEYWORD]: true })

/** The Ajv keyword of {@link FileUpload}: only a real upload passes. */
export function fileKeyword (): { keyword: string, schemaType: string, validate: ((schema: boolean, data: unknown) => boolean) & { errors?: unknown[] } } {
  const validate = Object.assign((schema: boolean, data: unknown): boolean => {
    if (!schema || data instanceof UploadedFile) return true
    validate.errors = [{ keyword: FILE_KEYWORD, message: 'must be a file (multipart/form-data upload)', params: {} }]
    return false
  }, { errors: [] as unknown[] })
  return { keyword: FILE_KEYWORD, schemaType: 'boolean', validate }
}

const MULTIPART = 'multipart/form-data'

/** Whether a content type is a multipart form (case-insensitive, parameters ignored). */
export function isMultipartType (contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.slice(0, MULTIPART.length).toLowerCase() === MULTIPART
}

interface Part { type?: unknown, value?: unknown, filename?: unknown, mimetype?: unknown, encoding?: unknown, _buf?: unknown }

function valueOf (part: unknown): unknown {
  const p = part as Part
  // already a parameter (converted once, see registerUploads): kept
  if (p === null || typeof p !== 'object' || (p.type !== 'file' && p.type !== 'field')) return part
  if (p.type === 'field') return p.value
  const data = Buffer.isBuffer(p._buf) ? p._buf : Buffer.alloc(0)
  return new UploadedFile(String(p.filename ?? ''), String(p.mimetype ?? ''), String(p.encoding ?? ''), data)
}

/**
 * The body @fastify/multipart attached (parts by field name) as parameters: files and texts.
 * Values that are no multipart part are kept, so converting twice changes nothing.
 */
export function multipartParams (body: Bag): Bag {
  const out: Bag = Object.create(null)
  for (const key of Object.keys(body)) {
    const v = body[key]
    setOwn(out, key, Array.isArray(v) ? v.map(valueOf) : valueOf(v))
  }
  return out
}

/** What the `uploads` option may give: @fastify/multipart's limits. */
export interface UploadOptions {
  limits?: { fileSize?: number, files?: number, fields?: number, fieldSize?: number, parts?: number }
}

/** Register @fastify/multipart for the `uploads` option (fields attached to the body). */
export async function registerUploads (fastify: FastifyInstance, option: boolean | UploadOptions | undefined): Promise<void> {
  if (option === undefined || option === false) return
  const { default: multipart } = await loadPeer('@fastify/multipart', 'the uploads option', () => import('@fastify/multipart'))
  const limits = option === true ? undefined : option.limits
  await fastify.register(multipart, { attachFieldsToBody: true, ...(limits !== undefined ? { limits } : {}) })
  // right after @fastify/multipart's own hook, before any route hook: the param scheme then reads
  // credentials of a multipart form as text, as from any form
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (isMultipartType(request.headers['content-type']) && isBag(request.body)) request.body = multipartParams(request.body)
    done()
  })
}
