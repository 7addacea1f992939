import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createNode } from '../../src/create-node.js'
import type { RepramNode } from '../../src/node/repram-node.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { waitFor } from '../helpers/wait-for.js'
import { get, put } from '../integration/helpers.js'

const SECRET = 'a shared secret for this mesh only'

describe('private meshes (REPRAM_CLUSTER_SECRET)', () => {
  let net: Testnet
  afterAll(async () => {
    await net?.stop()
  })

  it('nodes with the same secret form a mesh; a node with another secret, or none, cannot connect or read', async () => {
    net = await createTestnet(2, { config: { clusterSecret: SECRET } })
    await net.waitForMesh()
    expect((await put(net.nodes[0].url, 'secret/k', 'inside', 600)).status).toBe(201)
    expect((await get(net.nodes[1].url, 'secret/k')).text).toBe('inside')

    const outsider = await net.add({ config: { clusterSecret: 'some other secret entirely' }, join: false })
    const bare = await net.add({ config: { clusterSecret: undefined }, join: false })
    for (const o of [outsider, bare]) {
      // Its bootstrap dials fail at the pnet handshake: it stays a mesh of one. A direct dial of its
      // libp2p host shows it is refused, not merely slow.
      const host = o.replicator?.libp2p
      if (!host) throw new Error(`${o.name} is not an in-process node`)
      await expect(host.dial(multiaddr(net.nodes[0].multiaddrs[0]), { signal: AbortSignal.timeout(3_000) })).rejects.toThrow()
      expect(await o.members()).toEqual([])
      // While it waits for a join that cannot happen it answers 503; after its grace period, as a mesh
      // of one, 404. Never the value.
      expect((await get(o.url, 'secret/k')).status).not.toBe(200)
      await waitFor(async () => (await get(o.url, 'secret/k')).status === 404, { timeoutMs: 15_000, what: `${o.name} to answer 404 as a mesh of one` })
    }
    for (const n of net.nodes.slice(0, 2)) expect(await n.members()).not.toContain(outsider.peerId)
  })
})

describe('health', () => {
  let node: RepramNode | undefined
  afterEach(async () => {
    await node?.stop()
  })

  it('turns unhealthy after the grace period when configured with peers and none answers, and keeps serving as a mesh of one', async () => {
    node = createNode(makeConfig({ gossipPort: 0, listen: ['/ip4/127.0.0.1/tcp/0'], peers: ['127.0.0.1:1'], profile: 'loopback', replication: 3 }), {
      logger: silentLogger,
    })
    await node.start()
    expect(node.health().status).toBe('healthy')
    await waitFor(() => node?.health().status === 'unhealthy', { timeoutMs: 10_000, what: 'the node to turn unhealthy after its grace period' })
    const r = await node.put('alone', new Uint8Array([1]), { ttlSeconds: 600 })
    expect(r.confirmed).toBe(true)
    expect(r.quorum).toBe(1)
  })

  it('exposes libp2p metrics alongside its own', async () => {
    node = createNode(makeConfig({ gossipPort: 0, listen: ['/ip4/127.0.0.1/tcp/0'], profile: 'loopback' }), { logger: silentLogger })
    await node.start()
    const text = await node.registry.metrics()
    expect(text).toMatch(/^# HELP libp2p_/m)
    expect(text).toMatch(/^# HELP repram_replication_pushes_total/m)
    expect(text).toMatch(/^repram_peers /m)
  })
})
