import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '../../src/testnet.js'

describe('smoke', () => {
  let net: Testnet
  beforeAll(async () => {
    net = await createTestnet(3)
    await net.waitForMesh()
  })
  afterAll(async () => {
    await net?.stop()
  })
  it('puts and reads from every node', async () => {
    const r = await fetch(`${net.nodes[0].url}/v1/data/hello?ttl=600`, { method: 'PUT', body: 'world' })
    expect(r.status).toBe(201)
    for (const n of net.nodes) {
      const g = await fetch(`${n.url}/v1/data/hello`)
      expect(g.status).toBe(200)
      expect(await g.text()).toBe('world')
    }
  })
})
