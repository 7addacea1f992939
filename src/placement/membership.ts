/**
 * The node's view of the mesh's members: peers connected to us right now that identified as REPRAM
 * nodes (agent version carries name and enclave) and speak our store protocol. Peers come in through
 * the DHT (its routing table dials them) and leave when their last connection closes, so placement
 * needs no network query per write. Every node still sees members of every enclave (topology).
 *
 * A member whose last connection closed is remembered as *recently lost* for LOST_MEMBER_MEMORY_MS:
 * from the inside, a peer that died and a peer behind a partition look the same, so write quorums and
 * read misses are judged over the replicas of the view before the loss (see Placement.votersFor) until
 * the memory ends or the peer comes back. A partition shorter than that memory never makes a minority
 * side believe it holds a quorum; a longer one is, to this node, a death.
 */
import { EventEmitter } from 'node:events'
import { parseAgent } from '../host/agent.js'
import type { Clock } from '../shared/clock.js'
import { peerPoint } from './xor-distance.js'

/**
 * How long a member that disconnected still counts among the replicas a write quorum or a read miss is
 * judged over: longer than a partition we promise to ride out (the fault suite cuts for 20 s) and than
 * the restoration bound after a death (a dead member's keys have new copies by then), short enough that
 * a mesh that lost members for good answers 201 again within a minute.
 */
export const LOST_MEMBER_MEMORY_MS = 60_000

export interface Member {
  peerId: string
  name: string
  enclave: string
  /** sha256 of the peer id multihash: its place in the keyspace. */
  point: Uint8Array
  addresses: string[]
  latencyMs: number | null
}

export interface MembershipEvents {
  /** The member set changed (a join or a leave); carries the peer. */
  changed: (peerId: string, kind: 'joined' | 'left') => void
}

export interface IdentifyResult {
  peerId: string
  agentVersion?: string
  protocols: string[]
  listenAddrs: string[]
}

interface LostMember {
  member: Member
  lostAtMs: number
}

export class Membership {
  private readonly members = new Map<string, Member>()
  /** Members whose last connection closed less than lostMemoryMs ago, oldest first. */
  private readonly lostMembers = new Map<string, LostMember>()
  private readonly clock: Clock
  private readonly lostMemoryMs: number
  private readonly events = new EventEmitter()
  private readonly requiredProtocol: string
  /** Members beyond this are not admitted (a flood of sybils cannot grow the map). */
  private readonly maxMembers: number

  constructor(components: { clock: Clock }, init: { requiredProtocol: string; maxMembers?: number; lostMemoryMs?: number }) {
    this.clock = components.clock
    this.requiredProtocol = init.requiredProtocol
    this.maxMembers = init.maxMembers ?? 10_000
    this.lostMemoryMs = init.lostMemoryMs ?? LOST_MEMBER_MEMORY_MS
  }

  on<E extends keyof MembershipEvents>(event: E, listener: MembershipEvents[E]): this {
    this.events.on(event, listener)
    return this
  }

  off<E extends keyof MembershipEvents>(event: E, listener: MembershipEvents[E]): this {
    this.events.off(event, listener)
    return this
  }

  get size(): number {
    return this.members.size
  }

  get(peerId: string): Member | undefined {
    return this.members.get(peerId)
  }

  all(): IterableIterator<Member> {
    return this.members.values()
  }

  /** Members lost less than the memory ago (not members now), oldest first. */
  recentlyLost(): Member[] {
    if (this.lostMembers.size === 0) return []
    const cutoff = this.clock.now() - this.lostMemoryMs
    const out: Member[] = []
    for (const [id, l] of this.lostMembers) {
      if (l.lostAtMs <= cutoff) this.lostMembers.delete(id)
      else out.push(l.member)
    }
    return out
  }

  /** True when some member was lost less than the memory ago (cheap: the hot paths ask it per request). */
  hasRecentlyLost(): boolean {
    if (this.lostMembers.size === 0) return false
    return this.recentlyLost().length > 0
  }

  /** From identify: admit (or refresh) a REPRAM peer. */
  identified(r: IdentifyResult): void {
    const info = parseAgent(r.agentVersion)
    if (!info || !r.protocols.includes(this.requiredProtocol)) return
    const old = this.members.get(r.peerId)
    if (old) {
      old.name = info.name
      old.enclave = info.enclave
      old.addresses = r.listenAddrs
      return
    }
    if (this.members.size >= this.maxMembers) return
    this.lostMembers.delete(r.peerId)
    this.members.set(r.peerId, {
      peerId: r.peerId,
      name: info.name,
      enclave: info.enclave,
      point: peerPoint(r.peerId),
      addresses: r.listenAddrs,
      latencyMs: null,
    })
    this.events.emit('changed', r.peerId, 'joined')
  }

  disconnected(peerId: string): void {
    const m = this.members.get(peerId)
    if (!m) return
    this.members.delete(peerId)
    this.lostMembers.delete(peerId)
    // Bounded like the members: the oldest memory goes first.
    if (this.lostMembers.size >= this.maxMembers) {
      const oldest = this.lostMembers.keys().next().value
      if (oldest !== undefined) this.lostMembers.delete(oldest)
    }
    this.lostMembers.set(peerId, { member: m, lostAtMs: this.clock.now() })
    this.events.emit('changed', peerId, 'left')
  }

  setLatency(peerId: string, ms: number): void {
    const m = this.members.get(peerId)
    if (m) m.latencyMs = ms
  }

  clear(): void {
    this.members.clear()
    this.lostMembers.clear()
  }
}
