/**
 * A fake of the narrow testnet interface for the harness's own tests: in-process facades over either
 * one shared store (a perfectly consistent "mesh": every invariant must hold) or a store per node
 * (no replication at all: reads elsewhere must be caught as missing). The real mesh is exercised by
 * `npm run simulate`; these tests check the simulation's judgement, not the mesh.
 */

import type { CreateTestnet, Testnet, TestnetNode, TestnetOptions } from '../../scripts/sim/testnet-types.js'
import { LocalReplicator } from '../../src/node/local-replicator.js'
import { RepramNode } from '../../src/node/repram-node.js'
import { systemClock } from '../../src/shared/clock.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { TestnetNodeWaits } from '../../src/testnet.js'

/** A fake node has no mesh: no members, and every wait on gossip or the routing table says so. */
function noMesh(name: string): TestnetNodeWaits {
  const none = (what: string) => (): never => {
    throw new Error(`${name} is a fake node: it has no ${what}`)
  }
  return {
    members: async () => [],
    waitForMembers: async (n) => {
      if (n > 0) none('members')()
    },
    gossipPeers: none('gossip'),
    waitForGossipPeers: none('gossip'),
    waitForGossipPeer: none('gossip'),
    gossipScore: none('gossip'),
    routingTableSize: none('routing table'),
    waitForRoutingTable: none('routing table'),
    routingTableClosest: none('routing table'),
  }
}

export function fakeTestnet(mode: 'shared' | 'isolated'): CreateTestnet & { instances: Testnet[] } {
  const instances: Testnet[] = []
  const create = async (n: number, options: TestnetOptions = {}): Promise<Testnet> => {
    const shared = new MemoryStore({ clock: systemClock })
    let counter = 0
    const live: TestnetNode[] = []
    const startOne = async (): Promise<TestnetNode> => {
      const name = `node-${counter++}`
      const store = mode === 'shared' ? shared : new MemoryStore({ clock: systemClock })
      const node = new RepramNode(
        { clock: systemClock, logger: silentLogger, store, replicator: new LocalReplicator({ store }, { peerId: name }) },
        makeConfig({ ...options.config, nodeId: name, replication: options.replication ?? 3 }),
      )
      await node.start()
      const handle: TestnetNode = {
        name,
        url: 'http://127.0.0.1:1',
        peerId: name,
        multiaddrs: [],
        node,
        ...noMesh(name),
        stop: () => node.stop(),
        kill: () => node.stop(),
      }
      live.push(handle)
      return handle
    }
    for (let i = 0; i < n; i++) await startOne()
    const net: Testnet = {
      get nodes() {
        return [...live]
      },
      add: () => startOne(),
      remove: async (node, how) => {
        live.splice(live.indexOf(node), 1)
        await (how === 'kill' ? node.kill() : node.stop())
      },
      waitForMesh: async () => {},
      stop: async () => {
        await Promise.all(live.splice(0).map((h) => h.stop()))
      },
    }
    instances.push(net)
    return net
  }
  return Object.assign(create, { instances })
}
