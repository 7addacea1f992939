/**
 * The DHT keyspace: sha256 of a peer id's multihash bytes, sha256 of a key's UTF-8 bytes — exactly
 * how kad-dht hashes, so our XOR arithmetic agrees with its routing table.
 */
import { createHash } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'

export function keyPoint(key: string): Uint8Array {
  return createHash('sha256').update(key, 'utf8').digest()
}

export function peerPoint(peerId: string): Uint8Array {
  return createHash('sha256').update(peerIdFromString(peerId).toMultihash().bytes).digest()
}

/** Negative when `a` is closer to `target` than `b` (XOR distance, big-endian). */
export function compareDistance(target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < target.length; i++) {
    const da = a[i] ^ target[i]
    const db = b[i] ^ target[i]
    if (da !== db) return da - db
  }
  return 0
}
