/**
 * The node's view of the mesh's members: peers connected to us right now that identified as REPRAM
 * nodes (agent version carries name and enclave) and speak our store protocol. Peers come in through
 * the DHT (its routing table dials them) and leave when their last connection closes, so placement
 * needs no network query per write. Every node still sees members of every enclave (topology).
 */
import { EventEmitter } from 'node:events'
import { parseAgent } from '../host/agent.js'
import { peerPoint } from './xor-distance.js'

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

export class Membership {
  private readonly members = new Map<string, Member>()
  private readonly events = new EventEmitter()
  private readonly requiredProtocol: string
  /** Members beyond this are not admitted (a flood of sybils cannot grow the map). */
  private readonly maxMembers: number

  constructor(init: { requiredProtocol: string; maxMembers?: number }) {
    this.requiredProtocol = init.requiredProtocol
    this.maxMembers = init.maxMembers ?? 10_000
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
    if (this.members.delete(peerId)) this.events.emit('changed', peerId, 'left')
  }

  setLatency(peerId: string, ms: number): void {
    const m = this.members.get(peerId)
    if (m) m.latencyMs = ms
  }

  clear(): void {
    this.members.clear()
  }
}
