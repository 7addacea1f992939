/**
 * A node that joins after the writes, told of ONE bootstrap peer only (as a user starts a sixth
 * `repram node --peers <one>`), reads every key the moment it says it has joined: its join waits for
 * the membership exchange, so its placement is over the whole mesh, not over its bootstrap peer.
 * Before, it answered 404 for keys the other nodes served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assembleNode } from '../../src/create-node.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'

const KEYS = 60
const JOINERS = 5
const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('late joiner with a single bootstrap peer', () => {
  let net: Testnet
  beforeAll(async () => {
    net = await createTestnet(5, { replication: 3 })
    await net.waitForMesh()
    const writer = net.nodes[0].node
    if (!writer) throw new Error('in-process')
    for (let i = 0; i < KEYS; i++) {
      const r = await writer.put(`late/${i}`, enc(`v${i}`), { ttlSeconds: 600 })
      expect(r.confirmed).toBe(true)
    }
  }, 60_000)
  afterAll(async () => {
    await net?.stop()
  })

  it(`reads every key at once after joining, ${JOINERS} joiners in a row`, async () => {
    for (let j = 0; j < JOINERS; j++) {
      const bootstrap = net.nodes[j % net.nodes.length]
      const { node, mesh } = assembleNode(
        makeConfig({
          nodeId: `joiner-${j}`,
          replication: 3,
          httpPort: 0,
          gossipPort: 0,
          listen: ['/ip4/127.0.0.1/tcp/0'],
          peers: [bootstrap.multiaddrs.find((a) => a.includes('/127.0.0.1/')) ?? bootstrap.multiaddrs[0]],
          profile: 'loopback',
          writeTimeoutMs: 2_000,
          logLevel: 'error',
        }),
        { logger: silentLogger },
      )
      await node.start()
      try {
        expect(await mesh?.whenJoined(20_000)).toBe(true)
        // Its view covers the whole mesh: every other node is a member.
        expect(mesh?.membership.size).toBe(net.nodes.length)
        const missing: string[] = []
        for (let i = 0; i < KEYS; i++) {
          const got = await node.get(`late/${i}`).catch(() => undefined)
          if (!got || new TextDecoder().decode(got.value) !== `v${i}`) missing.push(`late/${i}`)
        }
        expect(missing).toEqual([])
      } finally {
        await node.stop()
      }
    }
  }, 120_000)
})
