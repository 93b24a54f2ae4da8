/**
 * Whether a client address is this machine: the only place where plain HTTP is acceptable
 * (the `secure` policy) and where the auth cookie may go without `Secure`.
 * 127.0.0.0/8 (RFC 1122 §3.2.1.3), ::1 (RFC 4291 §2.5.3) and IPv4-mapped 127.x (RFC 4291 §2.5.5.2).
 */
export function isLoopback (ip: string | undefined): boolean {
  // undefined: the socket is already gone (the client left); nothing local about it
  if (ip === undefined) return false
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.')
}
