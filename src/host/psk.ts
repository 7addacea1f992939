/**
 * REPRAM_CLUSTER_SECRET → a libp2p pre-shared key (pnet swarm key v1): the 32 key bytes are
 * sha256(secret), so every node given the same secret derives the same key and no other node can
 * complete a connection.
 */
import { createHash } from 'node:crypto'

export function pskFromSecret(secret: string): Uint8Array {
  const hex = createHash('sha256').update(secret, 'utf8').digest('hex')
  return new TextEncoder().encode(`/key/swarm/psk/1.0.0/\n/base16/\n${hex}`)
}
