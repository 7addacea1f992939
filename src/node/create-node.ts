/**
 * Assembles a node from a config: clock, logger, store, replicator, facade. This is where the mesh
 * slots in: today a mesh of one (LocalReplicator); the libp2p replicator replaces it here.
 */
import { MemoryStore } from '../store/memory-store.js'
import { type Clock, systemClock } from './clock.js'
import type { NodeConfig } from './config.js'
import { LocalReplicator } from './local-replicator.js'
import { createLogger, type Logger } from './logger.js'
import { RepramNode } from './repram-node.js'

export interface CreateNodeOptions {
  clock?: Clock
  logger?: Logger
}

export function createNode(config: NodeConfig, options: CreateNodeOptions = {}): RepramNode {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? createLogger('repram', { level: config.logLevel })
  const store = new MemoryStore({ clock }, { maxBytes: config.maxStorageBytes })
  const replicator = new LocalReplicator({ store }, { peerId: config.nodeId ?? 'local' })
  return new RepramNode({ clock, logger: logger.child('node'), store, replicator }, config)
}
