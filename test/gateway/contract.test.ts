/**
 * Every row of the gateway contract (docs/http-api.md), against a real node + gateway on one
 * process with a ManualClock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HealthReport, StatusReport, TopologyReport } from '../../src/node/types.js'
import type { ErrorCode } from '../../src/shared/errors.js'
import { type Harness, startHarness, T0 } from './harness.js'

/** The gateway's JSON bodies (docs/http-api.md); `json<T>` only names the shape, the assertions check it. */
interface PutBody {
  key: string
  ttl: number
  expires_at: string
  replicas: number
  quorum: number
}
interface ListBody {
  keys: string[]
  next_cursor?: string
}
interface ErrorBody {
  error: ErrorCode
  message: string
}

async function json<T>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T
}

let h: Harness

beforeAll(async () => {
  h = await startHarness({ nodeId: 'gw-test', maxListKeys: 5 })
})
afterAll(async () => {
  await h.stop()
})

const put = (path: string, body: NonNullable<RequestInit['body']>, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, { method: 'PUT', body, headers })

describe('PUT /v1/data/{key}', () => {
  it('answers 201 with key, effective ttl, ISO expires_at, replicas and quorum', async () => {
    const res = await put('/v1/data/put-basic?ttl=600', 'hello')
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const body = await res.json()
    expect(body).toEqual({ key: 'put-basic', ttl: 600, expires_at: new Date(h.clock.now() + 600_000).toISOString(), replicas: 1, quorum: 1 })
  })

  it('overwrites silently and resets the TTL', async () => {
    await put('/v1/data/over?ttl=600', 'one')
    h.clock.advance(100_000)
    const res = await put('/v1/data/over?ttl=600', 'two')
    expect(res.status).toBe(201)
    const get = await fetch(`${h.url}/v1/data/over`)
    expect(await get.text()).toBe('two')
    expect(get.headers.get('x-remaining-ttl')).toBe('600')
  })

  it('takes ?ttl= over X-TTL, X-TTL when ?ttl= is empty or absent, else the default', async () => {
    expect((await json<PutBody>(put('/v1/data/ttl-q?ttl=700', 'v', { 'X-TTL': '900' }))).ttl).toBe(700)
    expect((await json<PutBody>(put('/v1/data/ttl-e?ttl=', 'v', { 'X-TTL': '900' }))).ttl).toBe(900)
    expect((await json<PutBody>(put('/v1/data/ttl-h', 'v', { 'X-TTL': '901' }))).ttl).toBe(901)
    expect((await json<PutBody>(put('/v1/data/ttl-d', 'v'))).ttl).toBe(3600)
  })

  it('clamps into [min, max] and echoes the effective TTL', async () => {
    expect((await json<PutBody>(put('/v1/data/clamp-lo?ttl=10', 'v'))).ttl).toBe(300)
    expect((await json<PutBody>(put('/v1/data/clamp-hi?ttl=999999', 'v'))).ttl).toBe(86_400)
  })

  it('treats a/b and a%2Fb as the same key, and takes UTF-8 keys', async () => {
    await put('/v1/data/a/b', 'slash')
    expect(await (await fetch(`${h.url}/v1/data/a%2Fb`)).text()).toBe('slash')
    const res = await put(`/v1/data/${encodeURIComponent('ключ ✓')}`, 'uni')
    expect((await json<PutBody>(res)).key).toBe('ключ ✓')
    expect(await (await fetch(`${h.url}/v1/data/${encodeURIComponent('ключ ✓')}`)).text()).toBe('uni')
  })

  it('stores an empty value', async () => {
    expect((await put('/v1/data/empty', new Uint8Array(0))).status).toBe(201)
    const get = await fetch(`${h.url}/v1/data/empty`)
    expect(get.status).toBe(200)
    expect(get.headers.get('content-length')).toBe('0')
    expect((await get.arrayBuffer()).byteLength).toBe(0)
  })

  it('refuses an empty key with 400 invalid_key', async () => {
    const res = await put('/v1/data/', 'v')
    expect(res.status).toBe(400)
    expect((await json<ErrorBody>(res)).error).toBe('invalid_key')
  })
})

describe('GET and HEAD /v1/data/{key}', () => {
  it('returns the exact bytes with the record headers', async () => {
    const value = new Uint8Array(256)
    for (let i = 0; i < 256; i++) value[i] = i
    const created = h.clock.now()
    const p = await put('/v1/data/bin?ttl=1000', value)
    const etag = p.headers.get('etag')
    h.clock.advance(1_500)
    const res = await fetch(`${h.url}/v1/data/bin`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect(res.headers.get('content-length')).toBe('256')
    expect(res.headers.get('x-created-at')).toBe(new Date(created).toISOString())
    expect(res.headers.get('x-original-ttl')).toBe('1000')
    expect(res.headers.get('x-remaining-ttl')).toBe('998')
    expect(res.headers.get('etag')).toBe(etag)
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]{8}"$/)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    expect(res.headers.get('access-control-expose-headers')).toBeNull()
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(value))).toBe(true)
  })

  it('HEAD gives the same headers and no body', async () => {
    await put('/v1/data/head-me?ttl=400', 'twelve bytes')
    const get = await fetch(`${h.url}/v1/data/head-me`)
    const head = await fetch(`${h.url}/v1/data/head-me`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    for (const name of ['content-type', 'content-length', 'x-created-at', 'x-original-ttl', 'x-remaining-ttl', 'etag']) {
      expect(head.headers.get(name)).toBe(get.headers.get(name))
    }
    expect(head.headers.get('content-length')).toBe('12')
    expect(await head.text()).toBe('')
  })

  it('answers 404 JSON for an absent key and after expiry (GET, HEAD, listing)', async () => {
    const absent = await fetch(`${h.url}/v1/data/never-stored`)
    expect(absent.status).toBe(404)
    expect(await absent.json()).toMatchObject({ error: 'not_found' })
    await put('/v1/data/short-lived?ttl=300', 'bye')
    expect((await fetch(`${h.url}/v1/data/short-lived`)).status).toBe(200)
    h.clock.advance(299_999)
    expect((await fetch(`${h.url}/v1/data/short-lived`)).headers.get('x-remaining-ttl')).toBe('0')
    h.clock.advance(1)
    expect((await fetch(`${h.url}/v1/data/short-lived`)).status).toBe(404)
    expect((await fetch(`${h.url}/v1/data/short-lived`, { method: 'HEAD' })).status).toBe(404)
    const list = await (await fetch(`${h.url}/v1/keys?prefix=short-lived`)).json()
    expect(list).toEqual({ keys: [] })
  })

  it('answers 405 with Allow for other methods on a data path', async () => {
    for (const method of ['DELETE', 'PATCH', 'POST']) {
      const res = await fetch(`${h.url}/v1/data/put-basic`, { method, body: method === 'DELETE' ? undefined : 'x' })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('GET, HEAD, PUT, OPTIONS')
      expect((await json<ErrorBody>(res)).error).toBe('method_not_allowed')
    }
    expect((await fetch(`${h.url}/v1/data/put-basic`)).status).toBe(200)
  })
})

describe('GET /v1/keys', () => {
  beforeAll(async () => {
    for (const k of ['ls/a', 'ls/b', 'ls/c', 'ls/d', 'ls/e', 'ls/f', 'ls/g', 'lt/x']) await put(`/v1/data/${k}?ttl=3600`, 'v')
  })

  it('lists by prefix in byte order with limit and cursor', async () => {
    const p1 = await json<ListBody>(fetch(`${h.url}/v1/keys?prefix=ls/&limit=3`))
    expect(p1).toEqual({ keys: ['ls/a', 'ls/b', 'ls/c'], next_cursor: 'ls/c' })
    const p2 = await (await fetch(`${h.url}/v1/keys?prefix=ls/&limit=3&cursor=${encodeURIComponent(p1.next_cursor ?? '')}`)).json()
    expect(p2).toEqual({ keys: ['ls/d', 'ls/e', 'ls/f'], next_cursor: 'ls/f' })
    const p3 = await (await fetch(`${h.url}/v1/keys?prefix=ls%2F&limit=3&cursor=ls/f`)).json()
    expect(p3).toEqual({ keys: ['ls/g'] })
  })

  it('treats an absent or invalid limit as the maximum, with next_cursor when more remain', async () => {
    for (const q of ['', '&limit=abc', '&limit=0', '&limit=-1', '&limit=1.5']) {
      const res = await (await fetch(`${h.url}/v1/keys?prefix=ls/${q}`)).json()
      expect(res).toEqual({ keys: ['ls/a', 'ls/b', 'ls/c', 'ls/d', 'ls/e'], next_cursor: 'ls/e' })
    }
  })

  it('answers "keys": [] when nothing matches', async () => {
    const res = await fetch(`${h.url}/v1/keys?prefix=nothing-here`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('{"keys":[]}')
  })

  it('refuses a malformed escape in the query with 400', async () => {
    const res = await fetch(`${h.url}/v1/keys?prefix=%FF`)
    expect(res.status).toBe(400)
    expect((await json<ErrorBody>(res)).error).toBe('invalid_request')
  })
})

describe('health, status, topology, metrics', () => {
  it('health is 200 healthy with node_id, network, enclave', async () => {
    const res = await fetch(`${h.url}/v1/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'healthy', node_id: 'gw-test', network: 'private', enclave: 'default' })
  })

  it('status has every field of the contract', async () => {
    const res = await fetch(`${h.url}/v1/status`)
    expect(res.status).toBe(200)
    const s = await json<StatusReport>(res)
    for (const f of ['status', 'node_id', 'peer_id', 'multiaddrs', 'network', 'enclave', 'peers', 'keys', 'bytes', 'uptime', 'memory'])
      expect(s).toHaveProperty(f)
    expect(s.status).toBe('healthy')
    expect(Array.isArray(s.multiaddrs)).toBe(true)
    expect(s.keys).toBeGreaterThan(0)
    expect(s.uptime).toBe(Math.floor((h.clock.now() - T0) / 1000))
    expect(Object.keys(s.memory).sort()).toEqual(['external', 'heap_total', 'heap_used', 'rss'])
  })

  it('topology has node_id, peer_id, enclave and a peers array', async () => {
    const t = await json<TopologyReport>(fetch(`${h.url}/v1/topology`))
    expect(t).toMatchObject({ node_id: 'gw-test', enclave: 'default' })
    expect(typeof t.peer_id).toBe('string')
    expect(Array.isArray(t.peers)).toBe(true)
  })

  it('metrics is Prometheus text with request counts by route and status', async () => {
    await fetch(`${h.url}/v1/data/never-stored`)
    const res = await fetch(`${h.url}/v1/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await res.text()
    expect(text).toMatch(/repram_http_requests_total\{route="data",method="PUT",status="201"\} \d+/)
    expect(text).toMatch(/repram_http_requests_total\{route="data",method="GET",status="404"\} \d+/)
    expect(text).toMatch(/repram_http_request_duration_seconds_bucket\{/)
    expect(text).toMatch(/repram_keys \d+/)
  })

  it('read-only routes refuse other methods with 405 and Allow; unknown routes are 404 JSON', async () => {
    const res = await fetch(`${h.url}/v1/health`, { method: 'POST', body: 'x' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    for (const path of ['/', '/v1', '/v1/data', '/v2/data/x', '/v1/nope']) {
      const r = await fetch(`${h.url}${path}`)
      expect(r.status).toBe(404)
      expect((await json<ErrorBody>(r)).error).toBe('not_found')
    }
  })
})

describe('CORS', () => {
  it('answers a preflight on any path with the allowed methods, headers and exposed headers', async () => {
    const res = await fetch(`${h.url}/v1/data/anything`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-ttl, content-type' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, PUT, OPTIONS')
    expect(res.headers.get('access-control-allow-headers')).toBe('x-ttl, content-type')
    const exposed = res.headers.get('access-control-expose-headers') ?? ''
    for (const hname of ['X-Created-At', 'X-Original-TTL', 'X-Remaining-TTL', 'ETag']) expect(exposed).toContain(hname)
  })

  const origin = { Origin: 'https://example.org' }
  const corsOf = (res: Response) => [res.headers.get('access-control-allow-origin'), res.headers.get('access-control-expose-headers')]

  it('puts the CORS pair on every kind of answer to a request with Origin, and on none without it', async () => {
    await put('/v1/data/cors-held?ttl=600', 'v')
    const requests: [string, RequestInit][] = [
      ['/v1/data/cors-put?ttl=600', { method: 'PUT', body: 'v' }],
      ['/v1/data/cors-held', {}],
      ['/v1/data/cors-held', { method: 'HEAD' }],
      ['/v1/data/never-stored', {}],
      ['/v1/data/cors-held', { method: 'POST' }],
      ['/v1/keys', {}],
      ['/v1/health', {}],
      ['/v1/status', {}],
      ['/v1/topology', {}],
      ['/v1/metrics', {}],
      ['/nowhere', {}],
    ]
    for (const [path, init] of requests) {
      const bare = await fetch(`${h.url}${path}`, init)
      await bare.arrayBuffer()
      expect(corsOf(bare), `${init.method ?? 'GET'} ${path} without Origin`).toEqual([null, null])
      const cross = await fetch(`${h.url}${path}`, { ...init, headers: origin })
      await cross.arrayBuffer()
      const [allow, expose] = corsOf(cross)
      expect(allow, `${init.method ?? 'GET'} ${path} with Origin`).toBe('*')
      expect(expose).toContain('ETag')
      expect(expose).toContain('X-Remaining-TTL')
    }
  })

  it('a preflight carries the CORS headers even without Origin (unchanged)', async () => {
    const res = await fetch(`${h.url}/v1/keys`, { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe('storage cap', () => {
  it('answers 507 insufficient_storage when the node has no room', async () => {
    const small = await startHarness({ maxStorageBytes: 1000 })
    try {
      expect((await fetch(`${small.url}/v1/data/a`, { method: 'PUT', body: new Uint8Array(600) })).status).toBe(201)
      const res = await fetch(`${small.url}/v1/data/b`, { method: 'PUT', body: new Uint8Array(600) })
      expect(res.status).toBe(507)
      expect((await json<ErrorBody>(res)).error).toBe('insufficient_storage')
      expect((await fetch(`${small.url}/v1/data/b`)).status).toBe(404)
      expect((await fetch(`${small.url}/v1/data/a`)).status).toBe(200)
    } finally {
      await small.stop()
    }
  })
})

describe('unhealthy node', () => {
  it('health answers 503 unhealthy and data routes 503 once the node stops', async () => {
    const x = await startHarness()
    try {
      await x.node.stop()
      const res = await fetch(`${x.url}/v1/health`)
      expect(res.status).toBe(503)
      expect((await json<HealthReport>(res)).status).toBe('unhealthy')
      const get = await fetch(`${x.url}/v1/data/k`)
      expect(get.status).toBe(503)
      expect((await json<ErrorBody>(get)).error).toBe('unavailable')
    } finally {
      await x.gateway.stop()
    }
  })
})
