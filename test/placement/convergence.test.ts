import { afterAll, describe, expect, it } from 'vitest'
import { compareDistance, keyPoint, peerPoint } from '../../src/placement/xor-distance.js'
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
    const views = await Promise.all(net.nodes.map(async (n) => ({ self: n.peerId, members: await n.members() })))
    for (const v of views) expect(v.members.length).toBe(19)
    for (let i = 0; i < 50; i++) {
      const key = `conv-${i}`
      // The same arithmetic as Placement, over each node's view: self + members, 3 closest by XOR.
      const placements = views.map((v) => JSON.stringify(closest(key, [v.self, ...v.members])))
      expect(new Set(placements).size).toBe(1)
    }
  }, 120_000)
})

function closest(key: string, peers: string[]): string[] {
  const t = keyPoint(key)
  return peers
    .map((p) => ({ p, pt: peerPoint(p) }))
    .sort((a, b) => compareDistance(t, a.pt, b.pt))
    .slice(0, 3)
    .map((x) => x.p)
}
