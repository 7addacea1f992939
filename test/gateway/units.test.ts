/**
 * The gateway's small parts on their own: the body reader's bound (against an endless stream), the
 * rate limiter's bounded bucket map, the strict query reader, client IP selection.
 */
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { ClientGoneError, readBody } from '../../src/gateway/body-reader.js'
import { clientIp, isLoopback } from '../../src/gateway/client-ip.js'
import { queryParam } from '../../src/gateway/query.js'
import { RateLimiter } from '../../src/gateway/rate-limiter.js'
import { ManualClock } from '../../src/shared/clock.js'

const KiB = 1024

/** An endless body: counts what was pulled from it. */
function endless(headers: Record<string, string> = {}): Readable & { headers: Record<string, string>; pulled: number } {
  const chunk = Buffer.alloc(64 * KiB, 1)
  const s = new Readable({
    read() {
      ;(s as unknown as { pulled: number }).pulled += chunk.length
      this.push(chunk)
    },
  }) as Readable & { headers: Record<string, string>; pulled: number }
  s.pulled = 0
  s.headers = headers
  return s
}

describe('readBody', () => {
  it('refuses an endless chunked body as soon as it passes the limit, having pulled little more', async () => {
    const src = endless()
    await expect(readBody(src, 1024 * KiB)).rejects.toMatchObject({ code: 'value_too_large' })
    // Bounded: the limit plus the stream's read-ahead, not the endless rest.
    expect(src.pulled).toBeLessThan(1024 * KiB + 256 * KiB)
    src.destroy()
  })

  it('refuses a too-large Content-Length before reading anything', async () => {
    const src = endless({ 'content-length': String(20 * 1024 * KiB) })
    await expect(readBody(src, 1024 * KiB)).rejects.toMatchObject({ code: 'value_too_large' })
    expect(src.pulled).toBe(0)
    src.destroy()
  })

  it('returns an exactly sized copy, not a view of the chunk buffers', async () => {
    const parts = [Buffer.from('hello '), Buffer.from('world')]
    const src = Object.assign(Readable.from(parts), { headers: {} })
    const out = await readBody(src, 100)
    for (const p of parts) p.fill(0x2a)
    expect(out.byteLength).toBe(11)
    expect(Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString()).toBe('hello world')
    const chunk = Buffer.from('abc')
    const src2 = Object.assign(Readable.from([chunk]), { headers: { 'content-length': '3' } })
    const out2 = await readBody(src2, 100)
    chunk.fill(0x2a)
    expect(out2.byteLength).toBe(3)
    expect(Buffer.from(out2.buffer, out2.byteOffset, out2.byteLength).toString()).toBe('abc')
  })

  it('rejects with ClientGoneError when the client goes away mid-body', async () => {
    const src = Object.assign(new Readable({ read() {} }), { headers: { 'content-length': '100' } })
    const p = readBody(src, 1000)
    src.push(Buffer.alloc(10))
    src.destroy()
    await expect(p).rejects.toBeInstanceOf(ClientGoneError)
  })
})

describe('RateLimiter', () => {
  it('allows a burst of 2× the rate, then asks to retry, and refills with time', () => {
    const clock = new ManualClock()
    const rl = new RateLimiter({ clock }, { ratePerSecond: 5 })
    for (let i = 0; i < 10; i++) expect(rl.take('203.0.113.1')).toBe(0)
    expect(rl.take('203.0.113.1')).toBe(1)
    clock.advance(200)
    expect(rl.take('203.0.113.1')).toBe(0)
    expect(rl.take('203.0.113.1')).toBeGreaterThan(0)
    expect(rl.take('127.0.0.1')).toBe(0)
    expect(rl.take('::1')).toBe(0)
  })

  it('keeps its bucket map bounded under a flood of distinct addresses', () => {
    const clock = new ManualClock()
    const rl = new RateLimiter({ clock }, { ratePerSecond: 1, maxBuckets: 100 })
    for (let i = 0; i < 10_000; i++) {
      rl.take(`10.0.${i >> 8}.${i & 255}`)
      expect(rl.size).toBeLessThanOrEqual(100)
    }
  })
})

describe('queryParam', () => {
  it('reads, decodes once, treats + as space, takes the first occurrence', () => {
    expect(queryParam('ttl=600&prefix=a%2Fb', 'prefix')).toBe('a/b')
    expect(queryParam('ttl=600&prefix=a%2Fb', 'ttl')).toBe('600')
    expect(queryParam('prefix=a+b', 'prefix')).toBe('a b')
    expect(queryParam('ttl=1&ttl=2', 'ttl')).toBe('1')
    expect(queryParam('ttl=', 'ttl')).toBe('')
    expect(queryParam('ttl', 'ttl')).toBe('')
    expect(queryParam('xttl=5', 'ttl')).toBeUndefined()
    expect(queryParam('', 'ttl')).toBeUndefined()
    expect(queryParam('p=%25', 'p')).toBe('%')
  })

  it('refuses malformed escapes and invalid UTF-8 with invalid_request', () => {
    for (const bad of ['p=%FF', 'p=%E0%A4%A', 'p=%', 'p=%zz']) expect(() => queryParam(bad, 'p')).toThrow(expect.objectContaining({ code: 'invalid_request' }))
  })
})

describe('clientIp', () => {
  const req = (remote: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress: remote }, headers }) as unknown as IncomingMessage

  it('uses the peer address unless told to trust a proxy', () => {
    expect(clientIp(req('10.0.0.1', { 'x-forwarded-for': '1.2.3.4' }), false)).toBe('10.0.0.1')
    expect(clientIp(req('127.0.0.1', { 'x-forwarded-for': 'spoofed, 1.2.3.4' }), true)).toBe('1.2.3.4')
    expect(clientIp(req('127.0.0.1', { 'x-real-ip': '5.6.7.8' }), true)).toBe('5.6.7.8')
    expect(clientIp(req('127.0.0.1', { 'x-forwarded-for': 'not an ip' }), true)).toBe('127.0.0.1')
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true)
    expect(isLoopback('10.0.0.1')).toBe(false)
  })
})
