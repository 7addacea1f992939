/**
 * The composition root: assembles a node from a config — registry, clock, logger, store, replicator,
 * facade, and the one version clock the facade and the replicator share — for the CLI, MCP and the testnet alike. This is where the mesh slots in: the libp2p
 * replicator (MeshReplicator) by default, a mesh of one without libp2p (LocalReplicator) when the
 * config says `standalone`. Every part gets the one metrics registry at construction.
 */
import { Registry } from 'prom-client'
import { LocalReplicator } from './node/local-replicator.js'
import { RepramNode } from './node/repram-node.js'
import { MeshReplicator } from './replication/mesh-replicator.js'
import { type Clock, systemClock } from './shared/clock.js'
import type { NodeConfig } from './shared/config.js'
import { HybridLogicalClock } from './shared/hlc.js'
import { createLogger, type Logger } from './shared/logger.js'
import { MemoryStore } from './store/memory-store.js'

export interface CreateNodeOptions {
  clock?: Clock
  logger?: Logger
}

/** A node and the parts it was built from (the testnet and the benchmarks look inside). */
export interface AssembledNode {
  node: RepramNode
  store: MemoryStore
  /** The mesh replicator; undefined for a standalone node. */
  mesh: MeshReplicator | undefined
  registry: Registry
}

export function assembleNode(config: NodeConfig, options: CreateNodeOptions = {}): AssembledNode {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? createLogger('repram', { level: config.logLevel })
  const registry = new Registry()
  const hlc = new HybridLogicalClock({ clock })
  const store = new MemoryStore({ clock }, { maxBytes: config.maxStorageBytes })
  const mesh = config.standalone ? undefined : new MeshReplicator({ clock, logger: logger.child('mesh'), store, registry, hlc }, config)
  const replicator = mesh ?? new LocalReplicator({ store }, { peerId: config.nodeId ?? 'local' })
  const node = new RepramNode({ clock, logger: logger.child('node'), store, replicator, registry, hlc }, config)
  return { node, store, mesh, registry }
}

export function createNode(config: NodeConfig, options: CreateNodeOptions = {}): RepramNode {
  return assembleNode(config, options).node
}
