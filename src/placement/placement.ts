/**
 * Key → its R replicas: the R members closest to sha256(key) by XOR distance, self included, among
 * the members of this node's enclave. Pure arithmetic over the membership view: no network query.
 * With fewer than R members, every member is a replica.
 *
 * The *voters* of a key are its R closest among the members and the recently lost ones: the replicas
 * under the view before a loss. A write is a 201 only when W of the voters hold it, and a miss is a 404
 * only when enough voters answered (read-path.ts): a side of a partition cannot count a quorum over
 * the members it still sees. The voters that are members are always replicas too (a member closer
 * than a lost one is closer than the rest), so a write pushes to the replicas and counts the voters
 * among them. Without a recent loss the voters are the replicas.
 */
import type { Membership } from './membership.js'
import { compareDistance, keyPoint } from './xor-distance.js'

export interface MemberPoint {
  peerId: string
  point: Uint8Array
  enclave: string
}

export interface PlacementOptions {
  excludeSelf?: boolean
  exclude?: ReadonlySet<string>
  /** Place among these members instead of the current membership (an earlier snapshot). */
  members?: Iterable<MemberPoint>
  /** How many closest members to return (default R). */
  count?: number
}

export interface Replica {
  peerId: string
  self: boolean
}

export interface Voters {
  /** Voters that are members now (or this node): the ones that can answer. */
  reachable: Set<string>
  /** How many voters there are (reachable or lost): W and the read count are computed from it. */
  count: number
}

export class Placement {
  private readonly membership: Membership
  readonly selfId: string
  private readonly selfPoint: Uint8Array
  private readonly enclave: string
  readonly replication: number

  constructor(components: { membership: Membership }, init: { selfId: string; selfPoint: Uint8Array; enclave: string; replication: number }) {
    this.membership = components.membership
    this.selfId = init.selfId
    this.selfPoint = init.selfPoint
    this.enclave = init.enclave
    this.replication = init.replication
  }

  /** True when the mesh is no larger than R: every member (this node included) is a replica of every key. */
  everyMemberIsReplica(): boolean {
    return this.membership.size + 1 <= this.replication
  }

  /** The key's replicas, closest first. `excludeSelf`: as if this node had left (graceful leave). */
  replicasFor(key: string, options: PlacementOptions = {}): Replica[] {
    // Alone (no member at all): self is the only candidate, no need to hash the key.
    if (this.membership.size === 0 && !options.excludeSelf && !options.members && (options.count ?? this.replication) > 0)
      return [{ peerId: this.selfId, self: true }]
    return this.closest(keyPoint(key), options)
  }

  /**
   * The key's voters (see the top of the file); undefined when no member was lost recently, which
   * means they are exactly `replicasFor(key)`.
   */
  votersFor(key: string): Voters | undefined {
    const lost = this.membership.recentlyLost()
    if (lost.length === 0) return undefined
    const replicas = this.closest(keyPoint(key), { extra: lost })
    const reachable = new Set<string>()
    for (const r of replicas) if (!r.lost) reachable.add(r.peerId)
    return { reachable, count: replicas.length }
  }

  /** The members of this node's enclave right now (a snapshot for comparing placements over time). */
  snapshot(): MemberPoint[] {
    const out: MemberPoint[] = []
    for (const m of this.membership.all()) if (m.enclave === this.enclave) out.push({ peerId: m.peerId, point: m.point, enclave: m.enclave })
    return out
  }

  closest(target: Uint8Array, options: PlacementOptions & { extra?: Iterable<MemberPoint> } = {}): Array<Replica & { lost?: true }> {
    const cands: Array<{ peerId: string; point: Uint8Array; self: boolean; lost?: true }> = []
    if (!options.excludeSelf) cands.push({ peerId: this.selfId, point: this.selfPoint, self: true })
    for (const m of options.members ?? this.membership.all()) {
      if (m.enclave !== this.enclave || options.exclude?.has(m.peerId)) continue
      cands.push({ peerId: m.peerId, point: m.point, self: false })
    }
    for (const m of options.extra ?? []) {
      if (m.enclave !== this.enclave || options.exclude?.has(m.peerId)) continue
      cands.push({ peerId: m.peerId, point: m.point, self: false, lost: true })
    }
    const r = options.count ?? this.replication
    // Partial selection: keep the best r (r is small; members may be many).
    const best: typeof cands = []
    for (const c of cands) {
      let i = best.length
      while (i > 0 && compareDistance(target, c.point, best[i - 1].point) < 0) i--
      if (i < r) {
        best.splice(i, 0, c)
        if (best.length > r) best.pop()
      }
    }
    return best.map((c) => (c.lost ? { peerId: c.peerId, self: c.self, lost: true } : { peerId: c.peerId, self: c.self }))
  }
}
