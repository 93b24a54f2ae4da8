/**
 * `fastify-simple-auth/testing`: a tester that knows users and their credentials, so a test says
 * what it means:
 *
 * ```ts
 * const t = new Tester({ app, users: { acme: { password: 'Acme1!' } } })
 * const body = await t.get('/hello-me', { login: 'acme', status: 200 })
 * await t.post('/stuff', { login: 'acme', auth: 'param', json: { stuff: 'pen', price: 1 }, status: 201 })
 * ```
 *
 * It drives a Fastify app through `inject()` or a live server over HTTP (give `url`), adds
 * basic, param or bearer credentials (per tester or per call), checks the status and returns the
 * parsed body (JSON when the response says so, text otherwise).
 */
import { AssertionError } from 'node:assert'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { FastifyInstance } from 'fastify'

/**
 * How credentials are sent: `basic` (Authorization header), `param` (login and password as
 * parameters: in the form or JSON object body when the request has one, else in the query
 * string), `bearer` (the user's token, fetched with {@link Tester.fetchToken} or set with
 * {@link Tester.setToken}), `none` (no credentials even with a `login`).
 */
export type TesterAuth = 'basic' | 'param' | 'bearer' | 'none'

/** Known credentials of one user. */
export interface TesterUser { password?: string, token?: string }

/** Options of a {@link Tester}. */
export interface TesterOptions {
  /** The app to drive through `inject()` (one of `app` or `url` is required). */
  app?: FastifyInstance
  /** Base URL of a live server (`http://127.0.0.1:3000`, a path prefix is kept), driven over HTTP(S). */
  url?: string
  /** Users and their credentials. */
  users?: Record<string, TesterUser>
  /** Default way of sending credentials. @default 'basic' */
  auth?: TesterAuth
  /** Parameter names of the param scheme. @default { user: 'USER', pass: 'PASS' } */
  param?: { user?: string, pass?: string }
  /** Scheme word of bearer tokens. @default 'Bearer' */
  bearer?: string
  /** Headers added to every request. */
  headers?: Record<string, string>
}

/** Options of one request. */
export interface TesterRequest {
  /** Send the credentials of this user. */
  login?: string
  /** How to send them (overrides the tester's default). */
  auth?: TesterAuth
  /** Expected status: a mismatch throws an AssertionError showing the body. */
  status?: number
  /** Query string parameters (arrays repeat the key). */
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>
  /** A JSON body. */
  json?: unknown
  /** A form body (`application/x-www-form-urlencoded`; arrays repeat the key). */
  form?: Record<string, string | number | boolean | Array<string | number | boolean>>
  headers?: Record<string, string>
}

/** What {@link Tester.request} returns. */
export interface TesterResponse<T = any> {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: T
  text: string
}

type Params = NonNullable<TesterRequest['query']>

function encode (params: Params): string {
  const out = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : [v]) out.append(k, String(item))
  }
  return out.toString()
}

/** A tester over `inject()` or a live URL. */
export class Tester {
  readonly #opts: TesterOptions
  readonly #users: Map<string, TesterUser>
  readonly #user: string
  readonly #pass: string

  constructor (opts: TesterOptions) {
    if ((opts.app === undefined) === (opts.url === undefined)) throw new TypeError('Tester needs exactly one of app or url')
    this.#opts = opts
    this.#users = new Map(Object.entries(opts.users ?? {}).map(([k, v]) => [k, { ...v }]))
    this.#user = opts.param?.user ?? 'USER'
    this.#pass = opts.param?.pass ?? 'PASS'
  }

  /** Remember (or change) a user's password. */
  setPassword (login: string, password: string): void { this.#users.set(login, { ...this.#users.get(login), password }) }
  /** Remember a user's token, used with `auth: 'bearer'`. */
  setToken (login: string, token: string): void { this.#users.set(login, { ...this.#users.get(login), token }) }

  /**
   * Ask the server for a token (`GET path` with the user's password, reading `key` of the JSON body)
   * and remember it for bearer requests.
   */
  async fetchToken (login: string, path = '/token', key = 'token', auth: TesterAuth = 'basic'): Promise<string> {
    const body = await this.get(path, { login, auth, status: 200 })
    const token = (body as Record<string, unknown>)[key]
    if (typeof token !== 'string') throw new AssertionError({ message: `no "${key}" string in the answer of ${path}`, actual: body })
    this.setToken(login, token)
    return token
  }

  get<T = any> (path: string, req: TesterRequest = {}): Promise<T> { return this.#expect('GET', path, req) }
  post<T = any> (path: string, req: TesterRequest = {}): Promise<T> { return this.#expect('POST', path, req) }
  put<T = any> (path: string, req: TesterRequest = {}): Promise<T> { return this.#expect('PUT', path, req) }
  patch<T = any> (path: string, req: TesterRequest = {}): Promise<T> { return this.#expect('PATCH', path, req) }
  delete<T = any> (path: string, req: TesterRequest = {}): Promise<T> { return this.#expect('DELETE', path, req) }

  async #expect<T> (method: string, path: string, req: TesterRequest): Promise<T> {
    const res = await this.request<T>(method, path, req)
    if (req.status !== undefined && res.status !== req.status) {
      throw new AssertionError({
        message: `${method} ${path}${req.login !== undefined ? ' as ' + req.login : ''}: expected status ${req.status}, got ${res.status}: ${res.text.slice(0, 500)}`,
        actual: res.status,
        expected: req.status,
        operator: 'strictEqual'
      })
    }
    return res.body
  }

  /** Send one request with the credentials asked for, and return status, headers and parsed body. */
  async request<T = any> (method: string, path: string, req: TesterRequest = {}): Promise<TesterResponse<T>> {
    const headers: Record<string, string> = { ...this.#opts.headers, ...req.headers }
    let query: Params = { ...req.query }
    let form = req.form !== undefined ? { ...req.form } : undefined
    let json = req.json
    if (req.login !== undefined) {
      const auth = req.auth ?? this.#opts.auth ?? 'basic'
      const user = this.#users.get(req.login)
      if (auth === 'basic' || auth === 'param') {
        const password = user?.password
        if (password === undefined) throw new TypeError(`Tester: no password known for ${req.login}`)
        if (auth === 'basic') {
          headers.authorization = 'Basic ' + Buffer.from(`${req.login}:${password}`, 'utf8').toString('base64')
        } else if (form !== undefined) {
          form = { ...form, [this.#user]: req.login, [this.#pass]: password }
        } else if (json !== undefined && json !== null && typeof json === 'object' && !Array.isArray(json)) {
          json = { ...json, [this.#user]: req.login, [this.#pass]: password }
        } else {
          query = { ...query, [this.#user]: req.login, [this.#pass]: password }
        }
      } else if (auth === 'bearer') {
        const token = user?.token
        if (token === undefined) throw new TypeError(`Tester: no token known for ${req.login}`)
        headers.authorization = `${this.#opts.bearer ?? 'Bearer'} ${token}`
      }
    }
    const qs = encode(query)
    const url = path + (qs !== '' ? (path.includes('?') ? '&' : '?') + qs : '')
    let payload: string | undefined
    if (form !== undefined) {
      payload = encode(form)
      headers['content-type'] ??= 'application/x-www-form-urlencoded'
    } else if (json !== undefined) {
      payload = JSON.stringify(json)
      headers['content-type'] ??= 'application/json'
    }
    return this.#opts.app !== undefined
      ? await this.#inject(this.#opts.app, method, url, headers, payload)
      : await this.#http(this.#opts.url as string, method, url, headers, payload)
  }

  async #inject (app: FastifyInstance, method: string, url: string, headers: Record<string, string>, payload: string | undefined): Promise<TesterResponse> {
    const res = await app.inject({ method: method as 'GET', url, headers, payload })
    return { status: res.statusCode, headers: res.headers as TesterResponse['headers'], text: res.body, body: parse(res.headers['content-type'] as string | undefined, res.body) }
  }

  // node:http rather than fetch: fetch refuses a body on GET, which FlaskSimpleAuth-style APIs accept
  async #http (base: string, method: string, url: string, headers: Record<string, string>, payload: string | undefined): Promise<TesterResponse> {
    const target = new URL(base.replace(/\/+$/, '') + (url.startsWith('/') ? url : '/' + url))
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest
    if (payload !== undefined) headers = { ...headers, 'content-length': String(Buffer.byteLength(payload)) }
    return await new Promise<TesterResponse>((resolve, reject) => {
      const req = send(target, { method, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parse(res.headers['content-type'], text) })
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  }
}

function parse (contentType: string | string[] | undefined, text: string): any {
  const type = Array.isArray(contentType) ? contentType[0] : contentType
  if (type !== undefined && /\bjson\b/.test(type) && text !== '') {
    try { return JSON.parse(text) } catch { return text }
  }
  return text
}
