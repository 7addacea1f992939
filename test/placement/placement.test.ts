import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { beforeAll, describe, expect, it } from 'vitest'
import { STORE_PROTOCOL } from '../../protocols/ids.js'
import { encodeAgent } from '../../src/host/agent.js'
import { Membership } from '../../src/placement/membership.js'
import { Placement } from '../../src/placement/placement.js'
import { compareDistance, keyPoint, peerPoint } from '../../src/placement/xor-distance.js'

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
    membership = new Membership({ requiredProtocol: STORE_PROTOCOL })
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
    const m = new Membership({ requiredProtocol: STORE_PROTOCOL })
    m.identified({ peerId: ids[1], agentVersion: 'go-ipfs/0.1', protocols: [STORE_PROTOCOL], listenAddrs: [] })
    m.identified({ peerId: ids[2], agentVersion: encodeAgent('0.1.0', { name: 'x', enclave: 'default' }), protocols: [], listenAddrs: [] })
    expect(m.size).toBe(0)
  })

  it('moves a key to the next-closest member when a replica leaves', () => {
    const m = new Membership({ requiredProtocol: STORE_PROTOCOL })
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
})
