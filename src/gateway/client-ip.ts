/**
 * Who is asking, for the per-IP rate limit. By default the TCP peer address. With
 * REPRAM_TRUST_PROXY the gateway sits behind a reverse proxy, so the client is taken from
 * `X-Forwarded-For` — its right-most entry, the one our proxy appended (entries to its left are
 * whatever the client chose to send, so trusting them would let anyone pick their own bucket) — or
 * else `X-Real-IP`, falling back to the peer address when neither is usable.
 */
import type { IncomingMessage } from 'node:http'

/** An IP we will key a bucket by: bounded length, IP-ish characters only. */
const MAX_IP_CHARS = 64
const IPISH = /^[0-9A-Fa-f:.]+$/

function usable(s: string | undefined): string | undefined {
  if (s === undefined) return undefined
  const t = s.trim()
  return t.length > 0 && t.length <= MAX_IP_CHARS && IPISH.test(t) ? t : undefined
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const peer = req.socket.remoteAddress ?? ''
  if (!trustProxy) return peer
  const xff = req.headers['x-forwarded-for']
  if (typeof xff === 'string') {
    const ip = usable(xff.slice(xff.lastIndexOf(',') + 1))
    if (ip) return ip
  }
  const real = req.headers['x-real-ip']
  return usable(typeof real === 'string' ? real : undefined) ?? peer
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms: local clients (tools, the bench, a co-located proxy's own calls). */
export function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.')
}
