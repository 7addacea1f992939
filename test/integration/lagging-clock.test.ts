/**
 * Version clocks learn from peers: an overwrite sent through a node whose clock lags the previous
 * writer's (by less than the skew tolerance) is acknowledged and then read back from every node —
 * before, it got a 201 and was never visible (the replicas kept the "newer" older write).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../src/shared/clock.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)
/** node-1's clock runs 20 s ahead of everyone else's (well inside the 60 s tolerance). */
const AHEAD_MS = 20_000
const ahead: Clock = { now: () => Date.now() + AHEAD_MS }

describe('a writer whose clock lags the previous writer', () => {
  let net: Testnet
  beforeAll(async () => {
    net = await createTestnet(3, { replication: 3, clockFor: (name) => (name === 'node-1' ? ahead : undefined) })
    await net.waitForMesh()
  }, 60_000)
  afterAll(async () => {
    await net?.stop()
  })

  it('gets its overwrite acknowledged and read back everywhere', async () => {
    const [fast, slow] = net.nodes
    if (!fast.node || !slow.node) throw new Error('in-process nodes')
    const first = await fast.node.put('lag/key', enc('from the fast clock'), { ttlSeconds: 600 })
    expect(first.confirmed).toBe(true)
    const second = await slow.node.put('lag/key', enc('from the slow clock'), { ttlSeconds: 600 })
    expect(second.confirmed).toBe(true)
    expect(second.etag).not.toBe(first.etag)
    for (const n of net.nodes) {
      const got = await n.node?.get('lag/key')
      expect(got && dec(got.value)).toBe('from the slow clock')
      expect(got?.etag).toBe(second.etag)
    }
  })

  it('learns the fast clock from what it receives, so a later write needs no second attempt', async () => {
    const [fast, slow] = net.nodes
    if (!fast.node || !slow.node) throw new Error('in-process nodes')
    await fast.node.put('lag/other', enc('a'), { ttlSeconds: 600 })
    const again = await slow.node.put('lag/other', enc('b'), { ttlSeconds: 600 })
    expect(again.confirmed).toBe(true)
    const got = await fast.node.get('lag/other')
    expect(dec(got.value)).toBe('b')
  })
})
