/**
 * File uploads as parameters (FlaskSimpleAuth's FileStorage): the `uploads` option, `FileUpload`
 * in a body schema, size limits, and files that cannot be forged from text or JSON.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { buildApp } from './helpers/app.js'
import { FileUpload, type UploadedFile, type SecureOptions } from '../lib/index.js'

const BOUNDARY = '----fsa-test-boundary'

/** A multipart body: `[name, text]` fields and `[name, filename, content]` files. */
export function multipart (parts: Array<[string, string] | [string, string, string]>): { payload: string, headers: Record<string, string> } {
  let payload = ''
  for (const part of parts) {
    payload += `--${BOUNDARY}\r\n`
    if (part.length === 2) payload += `content-disposition: form-data; name="${part[0]}"\r\n\r\n${part[1]}\r\n`
    else payload += `content-disposition: form-data; name="${part[0]}"; filename="${part[1]}"\r\ncontent-type: text/plain\r\n\r\n${part[2]}\r\n`
  }
  payload += `--${BOUNDARY}--\r\n`
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } }
}

const Upload = Type.Object({ doc: FileUpload, title: Type.String(), pages: Type.Integer(), draft: Type.Optional(Type.Boolean()), more: Type.Optional(Type.Array(FileUpload)) })

async function build (t: TestContext, uploads: SecureOptions['uploads'] = true) {
  return await buildApp(t, { auth: ['none'], errorResponse: 'json:error', uploads }, (app) => {
    app.post('/upload', { config: { authorize: 'OPEN' }, schema: { body: Upload } }, async (req) => {
      const body = req.body as { doc: UploadedFile, title: string, pages: number, draft?: boolean, more?: UploadedFile[] }
      return { name: body.doc.filename, type: body.doc.mimetype, size: body.doc.size, text: body.doc.data.toString(), title: body.title, pages: body.pages, draft: body.draft ?? null, more: body.more?.map((f) => f.filename) ?? [] }
    })
    app.post('/plain', { config: { authorize: 'OPEN' } }, async () => 'plain')
  })
}

test('a file parameter arrives as an UploadedFile, text fields are converted as form values', async (t) => {
  const app = await build(t)
  const r = await app.inject({ method: 'POST', url: '/upload', ...multipart([['doc', 'notes.txt', 'hello files'], ['title', 'Notes'], ['pages', '3'], ['draft', 'yes'], ['more', 'a.txt', 'a'], ['more', 'b.txt', 'b']]) })
  assert.equal(r.statusCode, 200, r.body)
  assert.deepEqual(r.json(), { name: 'notes.txt', type: 'text/plain', size: 11, text: 'hello files', title: 'Notes', pages: 3, draft: true, more: ['a.txt', 'b.txt'] })
})

test('missing, textual, JSON and unexpected files are refused with 400 naming them', async (t) => {
  const app = await build(t)
  const missing = await app.inject({ method: 'POST', url: '/upload', ...multipart([['title', 'Notes'], ['pages', 'x']]) })
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(missing.json().error.split('\n').sort(), ['missing parameter "doc" (body)', 'parameter "pages" (body): must be integer'])
  const text = await app.inject({ method: 'POST', url: '/upload', ...multipart([['doc', 'not a file'], ['title', 'Notes'], ['pages', '1']]) })
  assert.deepEqual([text.statusCode, text.json()], [400, { error: 'parameter "doc" (body): must be a file (multipart/form-data upload)' }])
  const json = await app.inject({ method: 'POST', url: '/upload', payload: { doc: { filename: 'x', data: 'forged', size: 6 }, title: 'Notes', pages: 1 } })
  assert.deepEqual([json.statusCode, json.json()], [400, { error: 'parameter "doc" (body): must be a file (multipart/form-data upload)' }])
  const unexpected = await app.inject({ method: 'POST', url: '/plain', ...multipart([['doc', 'a.txt', 'a']]) })
  assert.deepEqual([unexpected.statusCode, unexpected.json()], [400, { error: 'unexpected parameter "doc" (body)' }])
  const none = await app.inject({ method: 'POST', url: '/upload' })
  assert.deepEqual(none.json().error.split('\n').sort(), ['missing parameter "doc" (body)', 'missing parameter "pages" (body)', 'missing parameter "title" (body)'])
})

test('files over uploads.limits.fileSize are refused with 413', async (t) => {
  const app = await build(t, { limits: { fileSize: 10 } })
  const ok = await app.inject({ method: 'POST', url: '/upload', ...multipart([['doc', 'a.txt', '0123456789'], ['title', 'T'], ['pages', '1']]) })
  assert.equal(ok.statusCode, 200)
  const big = await app.inject({ method: 'POST', url: '/upload', ...multipart([['doc', 'a.txt', '0123456789A'], ['title', 'T'], ['pages', '1']]) })
  assert.equal(big.statusCode, 413)
  const files = await build(t, { limits: { files: 1 } })
  const two = await files.inject({ method: 'POST', url: '/upload', ...multipart([['doc', 'a.txt', 'a'], ['more', 'b.txt', 'b'], ['title', 'T'], ['pages', '1']]) })
  assert.equal(two.statusCode, 413)
})

test('without the uploads option a multipart body is not parsed (415)', async (t) => {
  const app = await build(t, false)
  const r = await app.inject({ method: 'POST', url: '/upload', ...multipart([['doc', 'a.txt', 'a']]) })
  assert.equal(r.statusCode, 415)
  await assert.rejects(build(t, { limits: { size: 1 } } as never), /uploads/)
})

test('param credentials in a multipart form authenticate, and are not unexpected', async (t) => {
  const hash = await (await buildApp(t, { auth: ['basic'], getUserPass: () => null })).hashPassword('hobbes-secret-1')
  const app = await buildApp(t, { auth: ['param'], getUserPass: (l: string) => l === 'calvin' ? hash : null, uploads: true, errorResponse: 'json:error' }, (a) => {
    a.post('/doc', { config: { authorize: 'AUTH' }, schema: { body: Type.Object({ doc: FileUpload }) } }, async (req) => ({ user: req.authUser, size: (req.body as { doc: UploadedFile }).doc.size }))
  })
  const ok = await app.inject({ method: 'POST', url: '/doc', ...multipart([['USER', 'calvin'], ['PASS', 'hobbes-secret-1'], ['doc', 'a.txt', 'abc']]) })
  assert.deepEqual([ok.statusCode, ok.json()], [200, { user: 'calvin', size: 3 }])
  const bad = await app.inject({ method: 'POST', url: '/doc', ...multipart([['USER', 'calvin'], ['PASS', 'wrong'], ['doc', 'a.txt', 'abc']]) })
  assert.equal(bad.statusCode, 401)
})
