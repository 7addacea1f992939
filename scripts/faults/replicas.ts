/**
 * Which nodes a key belongs on, computed from outside with the nodes' own keyspace arithmetic
 * (src/placement/xor-distance.ts: sha256 of key and peer id, XOR distance): the R closest of a member
 * set. Used to judge whether a partition side could have formed a real quorum for a 201.
 */
import { compareDistance, keyPoint, peerPoint } from '../../src/placement/xor-distance.js'

export function replicasOf(key: string, peerIds: readonly string[], r: number): string[] {
  const target = keyPoint(key)
  return peerIds
    .map((id) => ({ id, p: peerPoint(id) }))
    .sort((a, b) => compareDistance(target, a.p, b.p))
    .slice(0, r)
    .map((x) => x.id)
}

/** W = ⌊R/2⌋ + 1. */
export function quorumOf(r: number): number {
  return Math.floor(r / 2) + 1
}
