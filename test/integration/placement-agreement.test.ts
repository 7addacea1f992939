/**
 * Placement and kad-dht share one keyspace: a node's kad-dht routing table orders peers by distance to
 * a key exactly as Placement's XOR arithmetic does (sha256 of the key, sha256 of the peer id).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareDistance, keyPoint, peerPoint } from '../../src/placement/xor-distance.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'

function byDistance(key: string, ids: string[]): string[] {
  const t = keyPoint(key)
  return [...ids].sort((a, b) => compareDistance(t, peerPoint(a), peerPoint(b)))
}

describe('placement agrees with the kad-dht routing table (5 in-process nodes)', () => {
  let net: Testnet
  beforeAll(async () => {
    net = await createTestnet(5)
    await net.waitForMesh()
  })
  afterAll(async () => {
    await net?.stop()
  })

  it('orders peers by distance to a key exactly as kad-dht does (same sha256 keyspace)', async () => {
    const x = net.nodes[0]
    const others = net.nodes.slice(1).map((n) => n.peerId)
    await x.waitForRoutingTable(others.length, 20_000)
    expect(x.routingTableSize()).toBe(others.length)
    for (let k = 0; k < 50; k++) {
      const key = `agree-${k}`
      expect(x.routingTableClosest(keyPoint(key), others.length)).toEqual(byDistance(key, others))
    }
  })
})
