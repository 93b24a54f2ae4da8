/**
 * What a benchmark scenario is: a server built in its own process, the one request autocannon
 * repeats against it, and the status that request must get.
 */
import type { FastifyInstance } from 'fastify'

/** The request a scenario is measured with (sent unchanged on every call). */
export interface BenchRequest {
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
}

/** A built scenario server, not yet listening. */
export interface BuiltScenario {
  app: FastifyInstance
  request: BenchRequest
  /** The status every measured request must get. */
  status: number
  /** Release what the scenario opened besides the app (databases, files). */
  close?: () => Promise<void>
}

/** One scenario of the macro benchmark. */
export interface Scenario {
  /** Short key, used on the command line, in the JSON and by `bench/server.ts`. */
  name: string
  /** What the row of the table says. */
  label: string
  /** Another scenario this one is also compared to (the bare POST routes for the POST scenarios). */
  baseline?: string
  /** Goal for the ratio to bare Fastify (or to `baseline`), reported, never asserted. */
  target?: number
  /** Build the server; throw {@link SkipScenario} when a prerequisite (PostgreSQL) is missing. */
  build: () => Promise<BuiltScenario>
}

/** Thrown by a scenario that cannot run here; the message says why, the run goes on. */
export class SkipScenario extends Error {}
