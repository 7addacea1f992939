/**
 * The seam between the facade and where records live. On a mesh of one it is `LocalReplicator`
 * (this node's store); on a mesh it is the libp2p replicator, which places keys on their R closest
 * members, collects a write quorum, reads from replicas and lists from the mesh-wide directory.
 */
import type { Version } from '../shared/version.js'
import type { RecordMeta, StoredRecord } from '../store/record.js'
import type { ListPage, ListQuery } from '../store/types.js'
import type { PeerView } from './types.js'

export interface WriteOutcome {
  /** R' = min(R, live members of the enclave). */
  replicas: number
  /** Replicas that confirmed within the write timeout. */
  confirmed: number
  /** W = ⌊R'/2⌋ + 1. */
  quorum: number
  /**
   * The newest version a replica named when it refused this one as older (a write through a node
   * whose clock lags the previous writer's, or a concurrent newer write). The facade moves its clock
   * past it and writes again under a newer version.
   */
  superseded?: Version
}

export interface Replicator {
  start(): Promise<void>
  stop(): Promise<void>
  /**
   * Stores `rec` on its replicas; resolves once W confirmed or the write timeout passed (the
   * background keeps trying). Throws InsufficientStorageError when no replica has room.
   */
  write(rec: StoredRecord, options: { signal?: AbortSignal; timeoutMs: number }): Promise<WriteOutcome>
  /** The newest live record of `key` in the mesh (read-your-writes after a confirmed write). */
  read(key: string, options: { signal?: AbortSignal }): Promise<StoredRecord | undefined>
  /** As read without the value, when that is cheaper. */
  readMeta(key: string, options: { signal?: AbortSignal }): Promise<RecordMeta | undefined>
  /**
   * True when this node's own store alone is the truth about `key` right now (a mesh of one, or this
   * node the key's only replica, and joined): the facade then answers a read without a promise.
   * Absent or false → read/readMeta.
   */
  localOnly?(key: string): boolean
  /** The live keys of the whole mesh (of this node's enclave). */
  list(query: ListQuery): ListPage
  /** Identity and topology, for status. */
  identity(): { peerId: string; multiaddrs: string[] }
  peers(): PeerView[]
  /** False while a node that was told of peers has had none for longer than its grace period. */
  healthy(): boolean
}
