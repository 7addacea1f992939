/**
 * The membership exchange (`/repram/members/1.0.0`): how a joining node learns whom it must know
 * before it may serve. Right after start a node is connected to its bootstrap peers only; placement
 * over that partial view picks the wrong replicas, so a read would answer 404 for a key that is there
 * and a write would count a quorum over the wrong nodes. So the joiner asks its first member of the
 * enclave for that member's view, dials every member it lists, and its join gate stays closed until
 * each listed member is a member here too — or has failed MAX_DIAL_ATTEMPTS dials (a member that died
 * after the answer). Each node answers the same question for later joiners from its own view.
 *
 * Cost: one request per join (retried with another member if it fails), one answer of ≲ 100 B per
 * member, and the dials a full-mesh node makes anyway.
 */
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { MEMBERS_MAX_ADDRS, MEMBERS_MAX_ENTRIES } from '../../protocols/ids.js'
import { type MembersRequest, type MembersResponse, MembersStatus } from '../../protocols/messages.js'
import type { Membership } from '../placement/membership.js'
import type { Logger } from '../shared/logger.js'
import type { RepramProtocols } from '../wire/repram-protocols.js'
import type { WireEngine } from '../wire/wire-engine.js'

/** Dials of one listed member before the joiner stops waiting for it. */
export const MAX_DIAL_ATTEMPTS = 2
/** Listed members dialled at once. */
export const EXCHANGE_PARALLEL_DIALS = 8
/** One dial of a listed member gives up after this long. */
export const EXCHANGE_DIAL_TIMEOUT_MS = 3_000

export interface ExchangeHost {
  peerId: { toString(): string }
  dial(addrs: PeerId | Multiaddr[], options?: { signal?: AbortSignal }): Promise<unknown>
}

interface Expected {
  addrs: Multiaddr[]
  failures: number
  dialling: boolean
}

export class MemberExchange {
  private readonly expected = new Map<string, Expected>()
  private running = false
  /** One exchange succeeded: the joiner knows whom to wait for. */
  done = false
  private readonly abort = new AbortController()

  constructor(
    private readonly c: { wire: WireEngine; protocols: RepramProtocols; host: ExchangeHost; membership: Membership; logger: Logger },
    private readonly init: { enclave: string },
  ) {}

  /** The answer to a members request: our view of the enclave (without the asker), bounded. */
  answer = (peer: string, req: MembersRequest): MembersResponse => {
    if (req.enclave !== this.init.enclave) return { status: MembersStatus.MEMBERS_REFUSED, members: [] }
    const members: MembersResponse['members'] = []
    for (const m of this.c.membership.all()) {
      if (m.enclave !== this.init.enclave || m.peerId === peer) continue
      members.push({ peerId: m.peerId, addrs: m.addresses.slice(0, MEMBERS_MAX_ADDRS) })
      if (members.length >= MEMBERS_MAX_ENTRIES) break
    }
    return { status: MembersStatus.MEMBERS_OK, members }
  }

  get busyOrDone(): boolean {
    return this.running || this.done
  }

  /** Listed members that are neither members here yet nor given up on. */
  pending(): number {
    let n = 0
    for (const [id, e] of this.expected) {
      if (this.c.membership.get(id)) this.expected.delete(id)
      else if (e.failures < MAX_DIAL_ATTEMPTS) n++
      else this.expected.delete(id)
    }
    return n
  }

  /** Settled: an exchange succeeded and every listed member is a member here or was given up on. */
  get settled(): boolean {
    return this.done && this.pending() === 0
  }

  /** Asks `peer` for its members and starts dialling those we are not connected to. */
  async from(peer: string): Promise<void> {
    if (this.busyOrDone) return
    this.running = true
    try {
      const res = await this.c.wire.request(peer, this.c.protocols.members, { enclave: this.init.enclave }, { signal: this.abort.signal })
      if (res.status !== MembersStatus.MEMBERS_OK) throw new Error(`members refused: ${res.status}`)
      const self = this.c.host.peerId.toString()
      for (const m of res.members) {
        if (m.peerId === self || this.c.membership.get(m.peerId) || this.expected.has(m.peerId)) continue
        const addrs = parseAddrs(m.peerId, m.addrs)
        if (addrs === undefined) continue
        this.expected.set(m.peerId, { addrs, failures: 0, dialling: false })
      }
      this.done = true
      this.c.logger.debug('members exchanged', { peer, listed: res.members.length, to_dial: this.expected.size })
      this.dialPending()
    } catch (err) {
      this.c.logger.debug('members exchange failed', { peer, err: err as Error })
    } finally {
      this.running = false
    }
  }

  /** Dials listed members that are not members yet (bounded parallelism); called again on every tick. */
  dialPending(): void {
    let active = 0
    for (const e of this.expected.values()) if (e.dialling) active++
    for (const [id, e] of this.expected) {
      if (active >= EXCHANGE_PARALLEL_DIALS) return
      if (e.dialling || e.failures >= MAX_DIAL_ATTEMPTS || this.c.membership.get(id)) continue
      e.dialling = true
      active++
      const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(EXCHANGE_DIAL_TIMEOUT_MS)])
      const attempt = e.addrs.length > 0 ? this.c.host.dial(e.addrs, { signal }) : this.c.host.dial(peerIdFromString(id), { signal })
      attempt
        .catch(() => {
          e.failures++
        })
        .finally(() => {
          e.dialling = false
        })
    }
  }

  stop(): void {
    this.abort.abort()
    this.expected.clear()
  }
}

/** The listed addresses as dialable multiaddrs ending in the member's /p2p/ id; undefined for a bad peer id. */
function parseAddrs(peerId: string, raw: string[]): Multiaddr[] | undefined {
  try {
    peerIdFromString(peerId)
  } catch {
    return undefined
  }
  const out: Multiaddr[] = []
  for (const a of raw.slice(0, MEMBERS_MAX_ADDRS)) {
    try {
      out.push(multiaddr(a.includes('/p2p/') ? a : `${a}/p2p/${peerId}`))
    } catch {}
  }
  return out
}
