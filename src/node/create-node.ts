/**
 * Assembles a node from a config: clock, logger, store, replicator, facade. This is where the mesh
 * slots in: the libp2p replicator (MeshReplicator) by default, a mesh of one without libp2p
 * (LocalReplicator) when the config says `standalone`.
 */
import { MeshReplicator } from '../replication/mesh-replicator.js'
import { MemoryStore } from '../store/memory-store.js'
import { type Clock, systemClock } from './clock.js'
import type { NodeConfig } from './config.js'
import { LocalReplicator } from './local-replicator.js'
import { createLogger, type Logger } from './logger.js'
import type { Replicator } from './replicator.js'
import { RepramNode } from './repram-node.js'

export interface CreateNodeOptions {
  clock?: Clock
  logger?: Logger
}

export function createNode(config: NodeConfig, options: CreateNodeOptions = {}): RepramNode {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? createLogger('repram', { level: config.logLevel })
  const store = new MemoryStore({ clock }, { maxBytes: config.maxStorageBytes })
  const replicator: Replicator = config.standalone
    ? new LocalReplicator({ store }, { peerId: config.nodeId ?? 'local' })
    : new MeshReplicator({ clock, logger: logger.child('mesh'), store }, config)
  return new RepramNode({ clock, logger: logger.child('node'), store, replicator }, config)
}
