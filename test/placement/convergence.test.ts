import { afterAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '../../src/testnet.js'

/**
 * Membership must converge to ALL live members (not to what kad-dht's k = 20 buckets hold), and every
 * node must then place every key on the same replicas.
 */
describe('membership convergence (20 in-process nodes)', () => {
  let net: Testnet | undefined
  afterAll(async () => {
    await net?.stop()
  })

  it('every node knows all 19 others and all agree on every key’s replicas', async () => {
    net = await createTestnet(20)
    for (const n of net.nodes) expect(n.replicator?.membership.size).toBe(19)
    for (let i = 0; i < 50; i++) {
      const key = `conv-${i}`
      const views = net.nodes.map((n) => JSON.stringify(placementOf(n, key)))
      expect(new Set(views).size).toBe(1)
    }
  }, 120_000)
})

function placementOf(n: { replicator?: { membership: { all(): Iterable<{ peerId: string; point: Uint8Array }> } }; peerId: string }, key: string): string[] {
  // The same arithmetic as Placement, over this node's view: self + members, 3 closest by XOR.
  return closest(key, [n.peerId, ...[...(n.replicator?.membership.all() ?? [])].map((m) => m.peerId)])
}

import { compareDistance, keyPoint, peerPoint } from '../../src/placement/xor-distance.js'

function closest(key: string, peers: string[]): string[] {
  const t = keyPoint(key)
  return peers
    .map((p) => ({ p, pt: peerPoint(p) }))
    .sort((a, b) => compareDistance(t, a.pt, b.pt))
    .slice(0, 3)
    .map((x) => x.p)
}
