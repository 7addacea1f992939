/**
 * The replicator of a mesh of one: this node's store is the only replica, so R' = W = 1.
 */

import { InsufficientStorageError } from '../shared/errors.js'
import type { RecordMeta, StoredRecord } from '../store/record.js'
import type { ListPage, ListQuery, RecordStore } from '../store/types.js'
import type { Replicator, WriteOutcome } from './replicator.js'
import type { PeerView } from './types.js'

export class LocalReplicator implements Replicator {
  private readonly store: RecordStore
  private readonly peerId: string

  constructor(components: { store: RecordStore }, init: { peerId?: string } = {}) {
    this.store = components.store
    this.peerId = init.peerId ?? 'local'
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async write(rec: StoredRecord): Promise<WriteOutcome> {
    const outcome = this.store.put(rec)
    if (outcome === 'full') throw new InsufficientStorageError('This node has no room for this value (REPRAM_MAX_STORAGE_MB).')
    // 'stale' cannot happen for a version from our own HLC; 'expired' only for a TTL shorter than a tick.
    return { replicas: 1, confirmed: outcome === 'stored' ? 1 : 0, quorum: 1 }
  }

  async read(key: string): Promise<StoredRecord | undefined> {
    return this.store.get(key)
  }

  async readMeta(key: string): Promise<RecordMeta | undefined> {
    return this.store.meta(key)
  }

  localOnly(): boolean {
    return true
  }

  list(query: ListQuery): ListPage {
    return this.store.list(query)
  }

  identity(): { peerId: string; multiaddrs: string[] } {
    return { peerId: this.peerId, multiaddrs: [] }
  }

  peers(): PeerView[] {
    return []
  }

  healthy(): boolean {
    return true
  }
}
