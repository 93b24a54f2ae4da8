/**
 * The client address throttling counts by: Fastify's `request.ip` (so `trustProxy` decides which
 * forwarded address is believed), never a raw header. IPv6 clients usually own a whole /64, so
 * an IPv6 address counts as its /64; an IPv4-mapped IPv6 address counts as the IPv4 address.
 */
import { isIPv6 } from 'node:net'
import type { FastifyRequest } from 'fastify'
import { isLoopback } from '../http/loopback.js'
import { isForwarded } from '../http/transport.js'

/** The first four groups (the /64) of an IPv6 address, `::ffff:a.b.c.d` as `a.b.c.d`. */
export function addressGroup (ip: string): string {
  if (!isIPv6(ip)) return ip
  const lower = ip.toLowerCase()
  if (lower.startsWith('::ffff:') && lower.includes('.')) return lower.slice(7)
  const zone = lower.indexOf('%')
  const bare = zone < 0 ? lower : lower.slice(0, zone)
  const [head, tail] = bare.split('::') as [string, string | undefined]
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':') + '::/64'
}

/**
 * The address group of a request, or `undefined` when addresses mean nothing: a loopback
 * connection carrying forwarding headers while `trustProxy` is off (every client then looks like
 * the proxy), reported through `onUntrusted`.
 */
export function clientAddress (request: FastifyRequest, onUntrusted: () => void): string | undefined {
  const peer = request.raw.socket?.remoteAddress
  if (isLoopback(peer) && isForwarded(request) && (request as { ips?: unknown }).ips === undefined) {
    onUntrusted()
    return undefined
  }
  const ip = request.ip
  return typeof ip === 'string' && ip !== '' ? addressGroup(ip) : undefined
}
