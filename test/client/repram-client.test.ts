import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RepramClient } from '../../src/client/repram-client.js'
import { createNode } from '../../src/create-node.js'
import { Gateway } from '../../src/gateway/gateway.js'
import type { RepramNode } from '../../src/node/repram-node.js'
import { makeConfig } from '../../src/shared/config.js'
import {
  ConfigError,
  InvalidKeyError,
  InvalidRequestError,
  KeyTooLongError,
  NotFoundError,
  ProtocolError,
  ReplicaTimeoutError,
  UnreachableError,
  ValueTooLargeError,
} from '../../src/shared/errors.js'
import { silentLogger } from '../../src/shared/logger.js'

let node: RepramNode
let gateway: Gateway
let client: RepramClient

beforeAll(async () => {
  node = createNode(
    makeConfig({ standalone: true, httpPort: 0, gossipPort: 0, maxKeyBytes: 100, maxValueBytes: 4096, rateLimitPerSecond: 0, nodeId: 'client-test' }),
    {
      logger: silentLogger,
    },
  )
  await node.start()
  gateway = new Gateway({ node, logger: silentLogger }, { host: '127.0.0.1', port: 0 })
  await gateway.start()
  client = new RepramClient(gateway.url)
})

afterAll(async () => {
  await gateway?.stop()
  await node?.stop()
})

/** A port that was free a moment ago and has nothing listening. */
async function closedPort(): Promise<number> {
  const s = createTcpServer()
  s.listen(0, '127.0.0.1')
  await once(s, 'listening')
  const port = (s.address() as { port: number }).port
  s.close()
  await once(s, 'close')
  return port
}

describe('RepramClient against a live gateway', () => {
  it('puts a string and reports the clamped TTL, the quorum and confirmation', async () => {
    const before = Date.now()
    const r = await client.put('scratch:c1', 'hello', { ttl: 10 })
    expect(r).toMatchObject({ key: 'scratch:c1', ttl: 300, replicas: 1, quorum: 1, confirmed: true })
    expect(r.expiresAt).toBeGreaterThanOrEqual(before + 300_000 - 1000)
    expect(r.expiresAt).toBeLessThanOrEqual(Date.now() + 300_000 + 1000)
  })

  it('gets the exact bytes with metadata, and head without them', async () => {
    const bytes = new Uint8Array([0, 255, 1, 254, 10, 13, 0x80])
    await client.put('bin:c2', bytes, { ttl: 600 })
    const g = await client.get('bin:c2')
    expect(g.value).toEqual(bytes)
    expect(g).toMatchObject({ key: 'bin:c2', originalTtl: 600, size: 7 })
    expect(g.remainingTtl).toBeGreaterThan(590)
    expect(g.remainingTtl).toBeLessThanOrEqual(600)
    expect(g.expiresAt).toBe(g.createdAt + 600_000)
    expect(g.etag).toMatch(/^".+"$/)
    const h = await client.head('bin:c2')
    expect(h).toEqual({ key: 'bin:c2', createdAt: g.createdAt, originalTtl: 600, remainingTtl: h.remainingTtl, expiresAt: g.expiresAt, etag: g.etag, size: 7 })
  })

  it('percent-encodes any key so it arrives exactly', async () => {
    const keys = ['a/b', 'a%2Fb', 'sp ace?x=1#frag', 'ü→✓ 𝄞', '...', './x', '%', '+plus&amp', 'lock:org:pipe/stage-2']
    for (const k of keys) await client.put(k, k, { ttl: 600 })
    for (const k of keys) expect(new TextDecoder().decode((await client.get(k)).value)).toBe(k)
    for (const k of keys) expect(new TextDecoder().decode((await node.get(k)).value)).toBe(k)
  })

  it('throws the node’s named errors', async () => {
    await expect(client.get('missing:1')).rejects.toBeInstanceOf(NotFoundError)
    await expect(client.head('missing:1')).rejects.toMatchObject({ code: 'not_found' })
    await expect(client.put('', 'x')).rejects.toBeInstanceOf(InvalidKeyError)
    await expect(client.put('\ud800', 'x')).rejects.toBeInstanceOf(InvalidKeyError)
    await expect(client.get('..')).rejects.toBeInstanceOf(InvalidKeyError)
    await expect(client.put('k', 'x', { ttl: 1.5 })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(client.put('k'.repeat(101), 'x')).rejects.toBeInstanceOf(KeyTooLongError)
    await expect(client.put('big', new Uint8Array(4097))).rejects.toBeInstanceOf(ValueTooLargeError)
    expect(() => new RepramClient('not a url')).toThrow(ConfigError)
    expect(() => new RepramClient('ftp://x')).toThrow(ConfigError)
  })

  it('lists one page, and every page with listAll', async () => {
    const keys = ['hb:1', 'hb:2', 'hb:3', 'hb:4', 'hb:5']
    for (const k of keys) await client.put(k, 'alive')
    await client.put('hc:other', 'x')
    expect(await client.list({ prefix: 'hb:', limit: 2 })).toEqual({ keys: ['hb:1', 'hb:2'], nextCursor: 'hb:2' })
    expect(await client.list({ prefix: 'hb:', limit: 2, cursor: 'hb:4' })).toEqual({ keys: ['hb:5'] })
    expect(await client.list({ prefix: 'none:' })).toEqual({ keys: [] })
    const all: string[] = []
    for await (const k of client.listAll({ prefix: 'hb:', pageSize: 2 })) all.push(k)
    expect(all).toEqual(keys)
    const viaKeys: string[] = []
    for await (const k of client.keys({ prefix: 'h', pageSize: 4 })) viaKeys.push(k)
    expect(viaKeys).toEqual([...keys, 'hc:other'])
  })

  it('reads status and health', async () => {
    const s = await client.status()
    expect(s).toMatchObject({ status: 'healthy', node_id: 'client-test', enclave: 'default' })
    expect(s.keys).toBeGreaterThan(0)
    expect(await client.health()).toMatchObject({ status: 'healthy', node_id: 'client-test' })
  })
})

describe('RepramClient failures without a gateway', () => {
  let silent: TcpServer
  const sockets: Socket[] = []
  let silentUrl: string
  let fake: Server
  let fakeUrl: string

  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = createTcpServer((s) => sockets.push(s))
    silent.listen(0, '127.0.0.1')
    await once(silent, 'listening')
    silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`
    // Answers like something that is not a REPRAM gateway.
    fake = createServer((req, res) => {
      if (req.url?.startsWith('/v1/keys')) {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>')
      } else res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>')
    })
    fake.listen(0, '127.0.0.1')
    await once(fake, 'listening')
    fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}`
  })

  afterAll(async () => {
    for (const s of sockets) s.destroy()
    silent?.close()
    fake?.closeAllConnections()
    fake?.close()
  })

  it('a closed port is UnreachableError', async () => {
    const c = new RepramClient(`http://127.0.0.1:${await closedPort()}`)
    await expect(c.health()).rejects.toBeInstanceOf(UnreachableError)
    await expect(c.get('k')).rejects.toMatchObject({ code: 'unreachable' })
  })

  it('an unknown host is UnreachableError', async () => {
    await expect(new RepramClient('http://no-such-host.invalid:8080').status()).rejects.toBeInstanceOf(UnreachableError)
  })

  it('a gateway that never answers hits the deadline as ReplicaTimeoutError', async () => {
    const c = new RepramClient(silentUrl, { timeoutMs: 200 })
    await expect(c.get('k')).rejects.toBeInstanceOf(ReplicaTimeoutError)
    await expect(c.status({ timeoutMs: 100 })).rejects.toMatchObject({ code: 'replica_timeout' })
  })

  it('an aborted call rejects with the signal’s reason', async () => {
    const c = new RepramClient(silentUrl)
    const ac = new AbortController()
    const p = c.get('k', { signal: ac.signal })
    ac.abort()
    await expect(p).rejects.toMatchObject({ name: 'AbortError' })
    const reason = new Error('changed my mind')
    await expect(c.put('k', 'v', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
  })

  it('a non-gateway answer becomes a named error, not a crash', async () => {
    const c = new RepramClient(fakeUrl)
    await expect(c.get('k')).rejects.toBeInstanceOf(ProtocolError) // 502 with an HTML body
    await expect(c.list()).rejects.toBeInstanceOf(ProtocolError) // 200 that is not JSON
  })
})
