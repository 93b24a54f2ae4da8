/**
 * Whether a peer address is this machine. A loopback connection is necessary, not sufficient,
 * for a request to be local (plain HTTP accepted, auth cookie without `Secure`): it must also
 * carry no forwarding header (lib/http/transport.ts).
 * 127.0.0.0/8 (RFC 1122 §3.2.1.3), ::1 (RFC 4291 §2.5.3) and IPv4-mapped 127.x (RFC 4291 §2.5.5.2).
 */
export function isLoopback (ip: string | undefined): boolean {
  // undefined: the socket is already gone (the client left); nothing local about it
  if (ip === undefined) return false
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.')
}
