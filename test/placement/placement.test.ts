import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { beforeAll, describe, expect, it } from 'vitest'
import { STORE_PROTOCOL } from '../../protocols/ids.js'
import { encodeAgent } from '../../src/host/agent.js'
import { LOST_MEMBER_MEMORY_MS, Membership } from '../../src/placement/membership.js'
import { Placement } from '../../src/placement/placement.js'
import { compareDistance, keyPoint, peerPoint } from '../../src/placement/xor-distance.js'
import { ManualClock, systemClock } from '../../src/shared/clock.js'

async function peerIds(n: number): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()))
}

function bruteForce(key: string, ids: string[], r: number): string[] {
  const t = keyPoint(key)
  return [...ids].sort((a, b) => compareDistance(t, peerPoint(a), peerPoint(b))).slice(0, r)
}

describe('placement', () => {
  let ids: string[]
  let membership: Membership
  const enclaveOf = (i: number): string => (i % 4 === 3 ? 'other' : 'default')

  beforeAll(async () => {
    ids = await peerIds(12)
    membership = new Membership({ clock: systemClock }, { requiredProtocol: STORE_PROTOCOL })
    ids.slice(1).forEach((id, i) => {
      membership.identified({
        peerId: id,
        agentVersion: encodeAgent('0.1.0', { name: `n${i + 1}`, enclave: enclaveOf(i + 1) }),
        protocols: [STORE_PROTOCOL],
        listenAddrs: [],
      })
    })
  })

  const placementFor = (replication: number): Placement =>
    new Placement({ membership }, { selfId: ids[0], selfPoint: peerPoint(ids[0]), enclave: 'default', replication })

  it('picks the R members of the enclave closest to sha256(key), self included, closest first', () => {
    const p = placementFor(3)
    const inEnclave = ids.filter((_, i) => enclaveOf(i) === 'default')
    for (let k = 0; k < 200; k++) {
      const key = `key-${k}`
      expect(p.replicasFor(key).map((r) => r.peerId)).toEqual(bruteForce(key, inEnclave, 3))
    }
  })

  it('returns every member when there are fewer than R, and can leave self out', () => {
    const p = placementFor(64)
    const inEnclave = ids.filter((_, i) => enclaveOf(i) === 'default')
    expect(p.replicasFor('x').length).toBe(inEnclave.length)
    expect(p.replicasFor('x', { excludeSelf: true }).some((r) => r.self)).toBe(false)
  })

  it('ignores peers that are not REPRAM members (no store protocol, or a foreign agent)', () => {
    const m = new Membership({ clock: systemClock }, { requiredProtocol: STORE_PROTOCOL })
    m.identified({ peerId: ids[1], agentVersion: 'go-ipfs/0.1', protocols: [STORE_PROTOCOL], listenAddrs: [] })
    m.identified({ peerId: ids[2], agentVersion: encodeAgent('0.1.0', { name: 'x', enclave: 'default' }), protocols: [], listenAddrs: [] })
    expect(m.size).toBe(0)
  })

  it('moves a key to the next-closest member when a replica leaves', () => {
    const m = new Membership({ clock: systemClock }, { requiredProtocol: STORE_PROTOCOL })
    for (const id of ids.slice(1))
      m.identified({ peerId: id, agentVersion: encodeAgent('0.1.0', { name: 'n', enclave: 'default' }), protocols: [STORE_PROTOCOL], listenAddrs: [] })
    const p = new Placement({ membership: m }, { selfId: ids[0], selfPoint: peerPoint(ids[0]), enclave: 'default', replication: 3 })
    const before = p.replicasFor('moving').map((r) => r.peerId)
    const gone = before.find((id) => id !== ids[0]) as string
    m.disconnected(gone)
    const after = p.replicasFor('moving').map((r) => r.peerId)
    expect(after).toEqual(
      bruteForce(
        'moving',
        ids.filter((id) => id !== gone),
        3,
      ),
    )
  })

  describe('voters after a loss', () => {
    const admit = (m: Membership, id: string): void =>
      m.identified({ peerId: id, agentVersion: encodeAgent('0.1.0', { name: 'n', enclave: 'default' }), protocols: [STORE_PROTOCOL], listenAddrs: [] })
    const setup = (): { clock: ManualClock; m: Membership; p: Placement } => {
      const clock = new ManualClock(1_000_000)
      const m = new Membership({ clock }, { requiredProtocol: STORE_PROTOCOL })
      for (const id of ids.slice(1, 5)) admit(m, id)
      const p = new Placement({ membership: m }, { selfId: ids[0], selfPoint: peerPoint(ids[0]), enclave: 'default', replication: 3 })
      return { clock, m, p }
    }

    it('are the replicas while nobody was lost', () => {
      const { p } = setup()
      expect(p.votersFor('k')).toBeUndefined()
    })

    it('are the replicas of the view before a loss, with the lost ones unreachable, for the memory only', () => {
      const { clock, m, p } = setup()
      const mesh = ids.slice(0, 5)
      // Cut this node off from two members (as a partition would): keys keep the voters of the whole view.
      const cut = ids.slice(3, 5)
      for (const id of cut) m.disconnected(id)
      for (let k = 0; k < 100; k++) {
        const key = `v-${k}`
        const before = bruteForce(key, mesh, 3)
        const v = p.votersFor(key)
        expect(v?.count).toBe(3)
        expect([...(v?.reachable ?? [])].sort()).toEqual(before.filter((id) => !cut.includes(id)).sort())
        // The voters that are members are replicas of the current view.
        const now = p.replicasFor(key).map((r) => r.peerId)
        for (const id of v?.reachable ?? []) expect(now).toContain(id)
      }
      clock.advance(LOST_MEMBER_MEMORY_MS - 1)
      expect(p.votersFor('v-0')).toBeDefined()
      clock.advance(1)
      expect(p.votersFor('v-0')).toBeUndefined()
    })

    it('forget a lost member that comes back', () => {
      const { m, p } = setup()
      m.disconnected(ids[1])
      expect(p.votersFor('k')).toBeDefined()
      admit(m, ids[1])
      expect(p.votersFor('k')).toBeUndefined()
    })

    it('keep a bounded memory', () => {
      const clock = new ManualClock(0)
      const m = new Membership({ clock }, { requiredProtocol: STORE_PROTOCOL, maxMembers: 3 })
      for (const id of ids.slice(1, 4)) admit(m, id)
      for (const id of ids.slice(1, 4)) m.disconnected(id)
      for (const id of ids.slice(4, 7)) admit(m, id)
      for (const id of ids.slice(4, 7)) m.disconnected(id)
      expect(m.recentlyLost().map((x) => x.peerId)).toEqual(ids.slice(4, 7))
    })
  })
})
