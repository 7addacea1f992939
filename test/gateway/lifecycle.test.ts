/**
 * Gateway lifecycle: a graceful stop lets an in-flight request finish, closes idle keep-alive and
 * never-used connections, and releases the port; the per-IP rate limit.
 */
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../src/shared/errors.js'
import { waitFor } from '../helpers/wait-for.js'
import { type Harness, parseResponse, startHarness } from './harness.js'

const open: Harness[] = []
afterEach(async () => {
  for (const x of open.splice(0)) await x.stop()
})

async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const x = await startHarness(...args)
  open.push(x)
  return x
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s))
    s.on('error', reject)
  })
}

describe('graceful stop', () => {
  it('lets an in-flight PUT finish, closes idle sockets, then releases the port', async () => {
    const x = await harness({}, { stopGraceMs: 10_000 })
    const port = x.port
    // An idle keep-alive connection (one request answered) and a connection that never sent anything.
    const idle = await connect(port)
    let idleData = ''
    idle.on('data', (d) => {
      idleData += d.toString('latin1')
    })
    idle.write('GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n')
    await waitFor(() => idleData.includes('\r\n\r\n'), { timeoutMs: 5_000, what: 'health answer' })
    const unused = await connect(port)
    unused.resume()
    let idleClosed = false
    let unusedClosed = false
    idle.on('close', () => {
      idleClosed = true
    })
    unused.on('close', () => {
      unusedClosed = true
    })
    // An in-flight PUT: headers and half the body sent.
    const busy = await connect(port)
    let answer = Buffer.alloc(0)
    busy.on('data', (d) => {
      answer = Buffer.concat([answer, d])
    })
    // Expect: 100-continue, so the server's "100 Continue" tells us the request is in its hands.
    busy.write('PUT /v1/data/inflight?ttl=600 HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n')
    await waitFor(() => answer.toString('latin1').startsWith('HTTP/1.1 100 Continue\r\n\r\n'), { timeoutMs: 5_000, what: '100 Continue' })
    answer = Buffer.alloc(0)
    busy.write('hello')
    let stopped = false
    const stopping = x.gateway.stop().then(() => {
      stopped = true
    })
    await waitFor(() => idleClosed && unusedClosed, { timeoutMs: 5_000, what: 'idle and unused sockets to close' })
    expect(stopped).toBe(false)
    busy.write('world')
    await waitFor(() => parseResponse(answer) !== undefined, { timeoutMs: 5_000, what: 'the in-flight PUT to be answered' })
    expect(parseResponse(answer)?.status).toBe(201)
    busy.destroy()
    await stopping
    expect(stopped).toBe(true)
    const got = await x.node.get('inflight')
    expect(Buffer.from(got.value).toString()).toBe('helloworld')
    // The port is free again.
    await new Promise<void>((resolve, reject) => {
      const s = net.createServer()
      s.once('error', reject)
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()))
    })
    // No one answers there any more.
    await expect(fetch(`http://127.0.0.1:${port}/v1/health`)).rejects.toThrow()
  })

  it('stop() is idempotent and start() after stop() listens again', async () => {
    const x = await harness()
    await x.gateway.stop()
    await x.gateway.stop()
    await x.gateway.start()
    expect((await fetch(`${x.gateway.url}/v1/health`)).status).toBe(200)
  })
})

describe('connection cap', () => {
  it('refuses connections beyond maxConnections at accept; idle ones are evicted by the headers timeout', async () => {
    const x = await harness({}, { maxConnections: 20, headersTimeoutMs: 300, connectionsCheckIntervalMs: 100 })
    const sockets: net.Socket[] = []
    let closedEarly = 0
    for (let i = 0; i < 30; i++) {
      const s = net.connect(x.port, '127.0.0.1')
      s.on('error', () => {})
      s.resume()
      s.on('close', () => {
        closedEarly++
      })
      sockets.push(s)
    }
    try {
      // The 10 over the cap are dropped; the 20 held ones are closed once their headers time out.
      await waitFor(() => closedEarly === 30, { timeoutMs: 5_000, what: 'every idle or refused connection to be closed' })
      expect((await fetch(`${x.url}/v1/health`)).status).toBe(200)
    } finally {
      for (const s of sockets) s.destroy()
    }
  })
})

describe('rate limit', () => {
  it('a non-loopback client (REPRAM_TRUST_PROXY + X-Forwarded-For) gets 429 after the burst; loopback is exempt', async () => {
    const x = await harness({ rateLimitPerSecond: 2, trustProxy: true })
    const from = (ip: string) => fetch(`${x.url}/v1/health`, { headers: { 'X-Forwarded-For': `10.9.9.9, ${ip}` } })
    for (let i = 0; i < 4; i++) expect((await from('203.0.113.7')).status).toBe(200)
    const limited = await from('203.0.113.7')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(limited.headers.get('access-control-allow-origin')).toBeNull()
    const limitedCross = await fetch(`${x.url}/v1/health`, { headers: { 'X-Forwarded-For': '203.0.113.7', Origin: 'https://example.org' } })
    expect(limitedCross.status).toBe(429)
    expect(limitedCross.headers.get('access-control-allow-origin')).toBe('*')
    await limitedCross.arrayBuffer()
    expect(((await limited.json()) as { error: ErrorCode; message: string }).error).toBe('rate_limited')
    // Another client has its own bucket; the loopback client itself is never limited.
    expect((await from('203.0.113.8')).status).toBe(200)
    for (let i = 0; i < 10; i++) expect((await fetch(`${x.url}/v1/health`)).status).toBe(200)
    // Tokens come back with time (the node's clock).
    x.clock.advance(1_000)
    expect((await from('203.0.113.7')).status).toBe(200)
    expect((await from('203.0.113.7')).status).toBe(200)
    expect((await from('203.0.113.7')).status).toBe(429)
    // X-Real-IP when there is no X-Forwarded-For.
    for (let i = 0; i < 4; i++) expect((await fetch(`${x.url}/v1/health`, { headers: { 'X-Real-IP': '198.51.100.1' } })).status).toBe(200)
    expect((await fetch(`${x.url}/v1/health`, { headers: { 'X-Real-IP': '198.51.100.1' } })).status).toBe(429)
  })

  it('without REPRAM_TRUST_PROXY, forwarded headers are ignored (the loopback peer is exempt)', async () => {
    const x = await harness({ rateLimitPerSecond: 1, trustProxy: false })
    for (let i = 0; i < 10; i++) expect((await fetch(`${x.url}/v1/health`, { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status).toBe(200)
  })

  it('REPRAM_RATE_LIMIT=0 turns the limiter off', async () => {
    const x = await harness({ rateLimitPerSecond: 0, trustProxy: true })
    for (let i = 0; i < 10; i++) expect((await fetch(`${x.url}/v1/health`, { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status).toBe(200)
  })
})
