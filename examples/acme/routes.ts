/**
 * The routes of the acme demo, in the order the tutorial adds them. Each declares who may call it
 * (`config.authorize`) and its parameters (TypeBox schemas: query string, form or JSON body).
 */
import { readFileSync } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { err, JsonData, perm, requireUser } from '../../lib/index.js'
import { daysSince, isPrime, jsonLength } from './compute.js'
import type { AcmeData } from './data.js'

/** The package version, shown by `GET /hello`. */
export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version

const Token = Type.Object({ token: Type.String() })
const Stuff = Type.Object({ stuff: Type.String(), price: Type.Number() })

/** Every acme route; `data` holds the stuff. */
export const acmeRoutes: FastifyPluginAsyncTypebox<{ data: AcmeData }> = async (app, { data }) => {
  // #region routes-hello
  app.get('/hello', {
    config: { authorize: 'OPEN' },
    schema: { summary: 'Say hello to anyone', tags: ['hello'], response: { 200: Type.Object({ msg: Type.String(), version: Type.String() }) } }
  }, async () => ({ msg: 'hello', version: VERSION }))
  // #endregion routes-hello

  // #region routes-auth
  app.get('/hello-me', {
    config: { authorize: 'AUTH' },
    schema: { summary: 'Say hello to the authenticated user', tags: ['hello'], response: { 200: Type.Object({ msg: Type.String(), user: Type.String() }) } }
  }, async (req) => ({ msg: 'hello', user: requireUser(req) }))

  app.post('/stuff', {
    config: { authorize: 'AUTH' },
    schema: { summary: 'Add a stuff owned by the user', tags: ['stuff'], body: Stuff, response: { 201: Stuff } }
  }, async (req, reply) => {
    await data.addStuff(req.body.stuff, requireUser(req), req.body.price)
    return reply.code(201).send({ stuff: req.body.stuff, price: req.body.price })
  })

  app.get('/stuff', {
    config: { authorize: 'AUTH' },
    schema: { summary: 'The user\'s stuff, as [name, price] pairs', tags: ['stuff'], response: { 200: Type.Array(Type.Tuple([Type.String(), Type.Number()])) } }
  }, async (req) => await data.getUserStuff(requireUser(req)))
  // #endregion routes-auth

  // #region routes-token
  app.get('/token', {
    config: { authorize: 'AUTH', auth: ['basic', 'param'] },
    schema: { summary: 'Get a token with a login and password', tags: ['tokens'], response: { 200: Token } }
  }, async (req) => ({ token: await app.createToken(requireUser(req)) }))

  // web applications like to POST their authentication parameters to get a token
  app.post('/token', {
    config: { authorize: 'AUTH', auth: 'param' },
    schema: { summary: 'Get a token by posting a login and password', tags: ['tokens'], response: { 201: Token } }
  }, async (req, reply) => reply.code(201).send({ token: await app.createToken(requireUser(req)) }))
  // #endregion routes-token

  // #region routes-user
  app.post('/user', {
    config: { authorize: 'admin' },
    schema: {
      summary: 'Create a user (admins only)',
      tags: ['users'],
      body: Type.Object({
        login: Type.String({ pattern: '^[a-z][a-z0-9]+$', maxLength: 64 }),
        email: Type.String({ format: 'email' }),
        password: Type.String()
      }),
      response: { 201: Type.Object({ login: Type.String() }) }
    }
  }, async (req, reply) => {
    const { login, email, password } = req.body
    const store = app.fsa.store ?? err('no user store', 500)
    if (await store.getUser(login) !== null) err(`cannot overwrite existing user: ${login}`, 409)
    // hashPassword applies the password rules first: a weak password is a 400 saying why
    await store.createUser({ login, email, password: await app.hashPassword(password) })
    return reply.code(201).send({ login })
  })
  // #endregion routes-user

  // #region routes-patch
  app.patch('/stuff/:sid', {
    config: { authorize: perm('stuff', 'sid', 'owner') },
    schema: { summary: 'Change the price of a stuff (its owner only)', tags: ['stuff'], params: Type.Object({ sid: Type.String() }), body: Type.Object({ price: Type.Number() }), response: { 200: Stuff } }
  }, async (req) => {
    await data.changeStuff(req.params.sid, req.body.price)
    return { stuff: req.params.sid, price: req.body.price }
  })
  // #endregion routes-patch

  // #region routes-days
  const Someone = Type.Object({ name: Type.String(), born: Type.String({ format: 'date' }) })

  app.get('/days', {
    config: { authorize: 'OPEN' },
    schema: { summary: 'Days since someone was born', tags: ['compute'], querystring: Type.Object({ who: Someone }), response: { 200: Type.Object({ name: Type.String(), days: Type.Integer() }) } }
  }, async (req) => ({ name: req.query.who.name, days: daysSince(req.query.who.born) }))
  // #endregion routes-days

  // #region routes-primes
  app.get('/primes', {
    config: { authorize: 'OPEN' },
    schema: { summary: 'The primes of a list of integers', tags: ['compute'], querystring: Type.Object({ li: Type.Array(Type.Integer(), { maxItems: 1000 }) }), response: { 200: Type.Array(Type.Integer()) } }
  }, async (req) => req.query.li.filter(isPrime))
  // #endregion routes-primes

  // #region routes-len
  app.get('/len', {
    config: { authorize: 'OPEN' },
    schema: { summary: 'The length of a JSON value', tags: ['compute'], querystring: Type.Object({ p: JsonData }), response: { 200: Type.Object({ len: Type.Union([Type.Integer(), Type.Literal('not available')]) }) } }
  }, async (req) => ({ len: jsonLength(req.query.p) ?? 'not available' as const }))
  // #endregion routes-len
}
