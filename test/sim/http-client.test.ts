import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FacadeClient } from '../../scripts/sim/facade-client.js'
import { HttpClient, parseInstant } from '../../scripts/sim/http-client.js'
import { createNode } from '../../src/create-node.js'
import { Gateway } from '../../src/gateway/gateway.js'
import type { RepramNode } from '../../src/node/repram-node.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'

describe('SimClient over a real gateway and over the facade', () => {
  let node: RepramNode
  let gateway: Gateway

  beforeAll(async () => {
    node = createNode(makeConfig({ nodeId: 'sim-client-test', httpPort: 0, gossipPort: 0, standalone: true, minTtlSeconds: 1, rateLimitPerSecond: 0 }), {
      logger: silentLogger,
    })
    await node.start()
    gateway = new Gateway({ node, logger: silentLogger }, { host: '127.0.0.1', port: 0 })
    await gateway.start()
  })

  afterAll(async () => {
    await gateway.stop()
    await node.stop()
  })

  it('answers the same status, version and expiry through HTTP as through the facade', async () => {
    const http = new HttpClient({ url: gateway.url })
    const facade = new FacadeClient({ node })
    const value = new TextEncoder().encode('sim|r|1|x|')
    const put = await http.put('sim:a/b c', value, 30)
    expect(put.status).toBe(201)
    expect(put.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]{8}"$/)
    expect(put.expiresAt).toBeGreaterThan(Date.now() + 25_000)
    for (const client of [http, facade]) {
      const got = await client.get('sim:a/b c')
      expect(got.status).toBe(200)
      expect(Buffer.from(got.value ?? []).toString()).toBe('sim|r|1|x|')
      expect(got.etag).toBe(put.etag)
      expect(Math.abs((got.expiresAt ?? 0) - (put.expiresAt ?? 0))).toBeLessThan(1_000)
      expect((await client.get('sim:absent')).status).toBe(404)
      expect((await client.list('sim:')).keys).toEqual(['sim:a/b c'])
      expect((await client.status())?.keys).toBe(1)
    }
    expect((await facade.put('', value, 30)).status).toBe(400)
  })

  it('reads expires_at as ISO text, seconds or milliseconds', () => {
    expect(parseInstant('2026-11-27T01:00:00.000Z')).toBe(Date.parse('2026-11-27T01:00:00.000Z'))
    expect(parseInstant(1_800_000_000)).toBe(1_800_000_000_000)
    expect(parseInstant(1_800_000_000_123)).toBe(1_800_000_000_123)
    expect(parseInstant('soon')).toBeUndefined()
  })
})
