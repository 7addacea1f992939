/**
 * Key → its R replicas: the R members closest to sha256(key) by XOR distance, self included, among
 * the members of this node's enclave. Pure arithmetic over the membership view: no network query.
 * With fewer than R members, every member is a replica.
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

  /** The members of this node's enclave right now (a snapshot for comparing placements over time). */
  snapshot(): MemberPoint[] {
    const out: MemberPoint[] = []
    for (const m of this.membership.all()) if (m.enclave === this.enclave) out.push({ peerId: m.peerId, point: m.point, enclave: m.enclave })
    return out
  }

  closest(target: Uint8Array, options: PlacementOptions = {}): Replica[] {
    const cands: Array<{ peerId: string; point: Uint8Array; self: boolean }> = []
    if (!options.excludeSelf) cands.push({ peerId: this.selfId, point: this.selfPoint, self: true })
    for (const m of options.members ?? this.membership.all()) {
      if (m.enclave !== this.enclave || options.exclude?.has(m.peerId)) continue
      cands.push({ peerId: m.peerId, point: m.point, self: false })
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
    return best.map((c) => ({ peerId: c.peerId, self: c.self }))
  }
}
