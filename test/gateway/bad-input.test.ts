/**
 * Every bad input of issue 2: each gets the contract's clear answer, the process keeps serving, and a
 * previously stored key is unchanged afterwards.
 */
import http from 'node:http'
import net from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../src/shared/errors.js'
import { waitFor } from '../helpers/wait-for.js'
import { type Harness, plantSentinel, rawRequest, startHarness } from './harness.js'

let h: Harness
let sentinelIntact: () => Promise<void>

beforeAll(async () => {
  h = await startHarness({}, { headersTimeoutMs: 400, connectionsCheckIntervalMs: 100, oversizeLingerMs: 500, keepAliveTimeoutMs: 60_000 })
  sentinelIntact = await plantSentinel(h.url)
})
afterAll(async () => {
  await h.stop()
})
afterEach(async () => {
  // The process is alive, the gateway answers, and the stored key is unchanged.
  expect(await statusFresh(`${h.url}/v1/health`)).toBe(200)
  await sentinelIntact()
})

/**
 * Status of a GET on a connection of its own. Checks that follow a long upload must not reuse a pooled
 * keep-alive socket: the gateway may close it (keepAliveTimeout) just as the pool hands it out.
 */
function statusFresh(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      .on('error', reject)
  })
}

async function expectError(res: Response, status: number, code: ErrorCode): Promise<void> {
  expect(res.status).toBe(status)
  expect(((await res.json()) as { error: ErrorCode; message: string }).error).toBe(code)
}

describe('malformed keys', () => {
  it.each(['%FF', '%E0%A4%A', '%', '%G1', 'ok%2', '%C3%28', '%ED%A0%80'])('/v1/data/%s → 400 invalid_key (GET, HEAD, PUT)', async (raw) => {
    await expectError(await fetch(`${h.url}/v1/data/${raw}`), 400, 'invalid_key')
    expect((await fetch(`${h.url}/v1/data/${raw}`, { method: 'HEAD' })).status).toBe(400)
    await expectError(await fetch(`${h.url}/v1/data/${raw}?ttl=600`, { method: 'PUT', body: 'v' }), 400, 'invalid_key')
  })

  it('raw invalid UTF-8 bytes in the request line → 400 invalid_key', async () => {
    const req = Buffer.concat([
      Buffer.from('PUT /v1/data/'),
      Buffer.from([0xff, 0xc3, 0x28]),
      Buffer.from(' HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv'),
    ])
    const res = await rawRequest(h.port, req)
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body).error).toBe('invalid_key')
  })

  it('a 10 KB key → 414 key_too_long', async () => {
    await expectError(await fetch(`${h.url}/v1/data/${'k'.repeat(10_000)}`), 414, 'key_too_long')
    await expectError(await fetch(`${h.url}/v1/data/${'k'.repeat(10_000)}`, { method: 'PUT', body: 'v' }), 414, 'key_too_long')
    await expectError(await fetch(`${h.url}/v1/data/${'%C3%A9'.repeat(600)}`), 414, 'key_too_long')
  })

  it('a 100 KB key overflows the header limit → 431', async () => {
    const res = await rawRequest(h.port, `GET /v1/data/${'k'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
    expect(res.status).toBe(431)
    expect(JSON.parse(res.body).error).toBe('invalid_request')
  })
})

describe('bad TTLs', () => {
  it.each(['abc', '0', '-1', '1.5', '99999999999999999999', '1e3', ' ', '0x10'])(
    'ttl %j → 400 invalid_ttl via ?ttl= and X-TTL, nothing stored',
    async (ttl) => {
      await expectError(await fetch(`${h.url}/v1/data/bad-ttl?ttl=${encodeURIComponent(ttl)}`, { method: 'PUT', body: 'v' }), 400, 'invalid_ttl')
      if (ttl.trim() !== '')
        await expectError(await fetch(`${h.url}/v1/data/bad-ttl`, { method: 'PUT', body: 'v', headers: { 'X-TTL': ttl } }), 400, 'invalid_ttl')
      expect((await fetch(`${h.url}/v1/data/bad-ttl`)).status).toBe(404)
    },
  )
})

const MiB = 1024 * 1024

/** Streams up to `total` bytes (reusing one buffer) until the server answers; resolves with the status. */
function streamUpload(
  port: number,
  total: number,
  headers: Record<string, string | number>,
  path = '/v1/data/huge?ttl=600',
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    let sent = 0
    let answered = false
    const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path, headers, agent: false })
    req.on('response', (res) => {
      answered = true
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => {
        body += d
      })
      res.on('end', () => {
        req.destroy()
        resolve({ status: res.statusCode ?? 0, body, sent })
      })
    })
    req.on('error', (err) => {
      if (!answered) reject(err)
    })
    const pump = (): void => {
      while (!answered && sent < total) {
        sent += chunk.length
        if (!req.write(chunk)) {
          req.once('drain', pump)
          return
        }
      }
      if (!answered) req.end()
    }
    pump()
  })
}

describe('oversized bodies', () => {
  it('20 MiB with Content-Length → 413 before reading it', async () => {
    const bytesBefore = h.node.status().bytes
    const r = await streamUpload(h.port, 20 * MiB, { 'Content-Length': 20 * MiB })
    expect(r.status).toBe(413)
    expect(JSON.parse(r.body).error).toBe('value_too_large')
    expect(r.sent).toBeLessThan(20 * MiB)
    expect(h.node.status().bytes).toBe(bytesBefore)
    expect(await statusFresh(`${h.url}/v1/data/huge`)).toBe(404)
  })

  it('20 MiB chunked (no Content-Length) → 413 once the streamed bytes pass the limit', async () => {
    const r = await streamUpload(h.port, 20 * MiB, { 'Transfer-Encoding': 'chunked' })
    expect(r.status).toBe(413)
    expect(JSON.parse(r.body).error).toBe('value_too_large')
    expect(r.sent).toBeLessThan(20 * MiB)
    expect(await statusFresh(`${h.url}/v1/data/huge`)).toBe(404)
  })

  it('a large body refused early (bad TTL, bad key) still gets its 400, not a reset', async () => {
    const r1 = await streamUpload(h.port, 8 * MiB, { 'Transfer-Encoding': 'chunked' }, '/v1/data/big?ttl=abc')
    expect(r1.status).toBe(400)
    expect(JSON.parse(r1.body).error).toBe('invalid_ttl')
    const r2 = await streamUpload(h.port, 8 * MiB, { 'Content-Length': 8 * MiB }, '/v1/data/%FF')
    expect(r2.status).toBe(400)
    expect(JSON.parse(r2.body).error).toBe('invalid_key')
    expect(await statusFresh(`${h.url}/v1/data/big`)).toBe(404)
  })

  it('Expect: 100-continue with an oversized Content-Length → 413 without the body being sent', async () => {
    const res = await rawRequest(h.port, `PUT /v1/data/huge HTTP/1.1\r\nHost: x\r\nContent-Length: ${20 * MiB}\r\nExpect: 100-continue\r\n\r\n`)
    expect(res.status).toBe(413)
  })

  it('a chunked body under the limit is stored whole', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: h.port, method: 'PUT', path: '/v1/data/chunked-ok?ttl=600', agent: false }, (r) => {
        r.resume()
        resolve(r.statusCode ?? 0)
      })
      req.on('error', reject)
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(1000, 48 + i))
      req.end()
    })
    expect(res).toBe(201)
    const got = Buffer.from(await (await fetch(`${h.url}/v1/data/chunked-ok`)).arrayBuffer())
    expect(got.length).toBe(10_000)
    expect(got[0]).toBe(48)
    expect(got[9_999]).toBe(57)
  })

  it('a client that aborts mid-body leaves nothing stored', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(h.port, '127.0.0.1', () => {
        socket.write('PUT /v1/data/aborted?ttl=600 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n')
        socket.write(Buffer.alloc(5000))
        setImmediate(() => {
          socket.destroy()
          resolve()
        })
      })
    })
    expect(await statusFresh(`${h.url}/v1/data/aborted`)).toBe(404)
  })
})

describe('methods', () => {
  it('an unknown method (BREW) on a data path → 405 with Allow; elsewhere → 404', async () => {
    const res = await rawRequest(h.port, 'BREW /v1/data/sentinel%2Fkey HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD, PUT, OPTIONS')
    expect(JSON.parse(res.body).error).toBe('method_not_allowed')
    const other = await rawRequest(h.port, 'BREW /coffee HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(other.status).toBe(404)
  })

  it("a parser's refusal carries the CORS pair only when the request had Origin", async () => {
    const bare = await rawRequest(h.port, 'BREW /v1/data/k HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(bare.status).toBe(405)
    expect(bare.headers['access-control-allow-origin']).toBeUndefined()
    expect(bare.headers['access-control-expose-headers']).toBeUndefined()
    const cross = await rawRequest(h.port, 'BREW /v1/data/k HTTP/1.1\r\nHost: x\r\nOrigin: https://example.org\r\n\r\n')
    expect(cross.status).toBe(405)
    expect(cross.headers['access-control-allow-origin']).toBe('*')
    expect(cross.headers['access-control-expose-headers']).toContain('X-Original-TTL')
  })

  it('DELETE never deletes', async () => {
    expect((await fetch(`${h.url}/v1/data/sentinel%2Fkey`, { method: 'DELETE' })).status).toBe(405)
    const res = await rawRequest(h.port, 'PROPFIND /v1/data/sentinel%2Fkey HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(res.status).toBe(405)
  })

  it('garbage instead of HTTP → 400', async () => {
    const res = await rawRequest(h.port, '\x00\x01\x02 not http at all\r\n\r\n')
    expect(res.status).toBe(400)
  })
})

describe('connection floods', () => {
  it('1,000 idle connections do not stop a normal request', async () => {
    const sockets: net.Socket[] = []
    try {
      await Promise.all(
        Array.from(
          { length: 1000 },
          () =>
            new Promise<void>((resolve, reject) => {
              const s = net.connect(h.port, '127.0.0.1', () => resolve())
              s.on('error', reject)
              sockets.push(s)
            }),
        ),
      )
      const res = await fetch(`${h.url}/v1/data/sentinel%2Fkey`)
      expect(res.status).toBe(200)
    } finally {
      for (const s of sockets) s.destroy()
    }
  })

  it('idle connections are closed by the headers timeout', async () => {
    const s = net.connect(h.port, '127.0.0.1')
    s.on('error', () => {})
    s.resume()
    let closed = false
    s.on('close', () => {
      closed = true
    })
    await waitFor(() => closed, { timeoutMs: 5_000, what: 'idle connection to be closed' })
  })

  it('a slow-loris client trickling headers is answered 408 and closed', async () => {
    const s = net.connect(h.port, '127.0.0.1')
    let data = ''
    let closed = false
    s.on('error', () => {})
    s.on('data', (d) => {
      data += d.toString('latin1')
    })
    s.on('close', () => {
      closed = true
    })
    s.write('GET /v1/health HTTP/1.1\r\nHost: x\r\n')
    const trickle = setInterval(() => {
      if (!s.destroyed) s.write('X-Slow: 1\r\n')
    }, 50)
    try {
      await waitFor(() => closed, { timeoutMs: 5_000, what: 'slow-loris connection to be closed' })
    } finally {
      clearInterval(trickle)
    }
    expect(data).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('a header flood (many headers, or one huge header) → 431', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')
    const r1 = await rawRequest(h.port, `GET /v1/health HTTP/1.1\r\nHost: x\r\n${many}\r\n\r\n`)
    expect(r1.status).toBe(431)
    const r2 = await rawRequest(h.port, `GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`)
    expect(r2.status).toBe(431)
  })
})
