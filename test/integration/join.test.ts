import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RepramNode } from '../../src/node/repram-node.js'
import { MeshReplicator } from '../../src/replication/mesh-replicator.js'
import { systemClock } from '../../src/shared/clock.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { get, put } from './helpers.js'

/** A node told of peers is "joining" until it knows the mesh: it never serves from a partial view. */
describe('joining the mesh', () => {
  let net: Testnet
  beforeAll(async () => {
    net = await createTestnet(4)
  }, 60_000)
  afterAll(async () => {
    await net?.stop()
  })

  it('a node returned by add() reads every existing key and writes with a full quorum at once', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `join-${i}`)
    for (const k of keys) expect((await put(net.nodes[i(k)].url, k, `v-${k}`, 60)).status).toBe(201)
    const fresh = await net.add()
    // No waiting, no polling: the very first requests after add() see the whole mesh.
    const [reads, w] = await Promise.all([Promise.all(keys.map((k) => get(fresh.url, k))), put(fresh.url, 'join-new', 'x', 60)])
    expect(reads.map((r) => r.status)).toEqual(keys.map(() => 200))
    expect(reads.map((r) => r.text)).toEqual(keys.map((k) => `v-${k}`))
    expect(w.status).toBe(201)
    expect(w.body.quorum).toBe(2) // W of R' = 3: placed over the whole mesh, not a mesh of one (W = 1)
    // The others know the new member too: every live node lists it in its topology.
    for (const n of net.nodes.filter((x) => x !== fresh)) expect(n.replicator?.peers().map((p) => p.peer_id)).toContain(fresh.peerId)
  }, 60_000)

  it('a node whose bootstrap peers never answer waits for the join, then serves as a mesh of one', async () => {
    const config = makeConfig({
      nodeId: 'lonely',
      peers: ['127.0.0.1:1'], // nothing listens on port 1
      listen: ['/ip4/127.0.0.1/tcp/0'],
      httpPort: 0,
      gossipPort: 0,
      profile: 'loopback',
      standalone: false,
      logLevel: 'error',
    })
    const store = new MemoryStore({ clock: systemClock }, { maxBytes: config.maxStorageBytes })
    const replicator = new MeshReplicator({ clock: systemClock, logger: silentLogger, store }, config)
    const node = new RepramNode({ clock: systemClock, logger: silentLogger, store, replicator }, config)
    await node.start()
    try {
      expect(replicator.joined).toBe(false)
      const out = await node.put('alone', new TextEncoder().encode('v'), { ttlSeconds: 60 })
      expect(replicator.joined).toBe(true)
      expect(out.replicas).toBe(1)
      expect(out.confirmed).toBe(true)
    } finally {
      await node.stop()
    }
  }, 60_000)
})

function i(k: string): number {
  let h = 0
  for (const c of k) h = (h * 31 + c.charCodeAt(0)) >>> 0
  return h % 4
}
