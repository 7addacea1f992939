import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { waitFor } from '../helpers/wait-for.js'
import { put } from './helpers.js'

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
    await waitFor(() => victim.store?.get('head-repair') !== undefined, { timeoutMs: 5_000, what: `${victim.name} to hold head-repair` })
    victim.store?.delete('head-repair') // a replica lost its copy
    const res = await fetch(`${victim.url}/v1/data/head-repair`, { method: 'HEAD' })
    expect(res.status).toBe(200)
    await waitFor(() => new TextDecoder().decode(victim.store?.get('head-repair')?.value) === 'value', {
      timeoutMs: 5_000,
      what: `the HEAD to repair ${victim.name}'s copy`,
    })
  }, 30_000)
})
