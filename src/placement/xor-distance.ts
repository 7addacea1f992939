/**
 * The DHT keyspace: sha256 of a peer id's multihash bytes, sha256 of a key's UTF-8 bytes — exactly
 * how kad-dht hashes, so our XOR arithmetic agrees with its routing table.
 */
import { createHash } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'

/** Recently hashed keys kept (reads of hot keys skip SHA-256); the memo is emptied when full. */
const KEY_POINT_MEMO_ENTRIES = 4_096
const keyPoints = new Map<string, Uint8Array>()

export function keyPoint(key: string): Uint8Array {
  let p = keyPoints.get(key)
  if (p) return p
  p = createHash('sha256').update(key, 'utf8').digest()
  if (keyPoints.size >= KEY_POINT_MEMO_ENTRIES) keyPoints.clear()
  keyPoints.set(key, p)
  return p
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
