import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { put, waitFor } from './helpers.js'

describe('read repair', () => {
  let net: Testnet
  beforeAll(async () => {
    net = await createTestnet(3) // R = 3: every node is a replica of every key
  }, 60_000)
  afterAll(async () => {
    await net?.stop()
  })

  it('a HEAD that finds a replica missing the record repairs it (as a GET does)', async () => {
    expect((await put(net.nodes[0].url, 'head-repair', 'value', 60)).status).toBe(201)
    const victim = net.nodes[2]
    expect(await waitFor(() => victim.store?.get('head-repair') !== undefined, 5_000)).toBe(true)
    victim.store?.delete('head-repair') // a replica lost its copy
    const res = await fetch(`${victim.url}/v1/data/head-repair`, { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(await waitFor(() => new TextDecoder().decode(victim.store?.get('head-repair')?.value) === 'value', 5_000)).toBe(true)
  }, 30_000)
})
