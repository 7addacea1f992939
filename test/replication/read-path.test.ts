import { describe, expect, it } from 'vitest'
import { FetchStatus } from '../../protocols/messages.js'
import type { Placement, Replica, Voters } from '../../src/placement/placement.js'
import type { Pusher } from '../../src/replication/pusher.js'
import { ReadPath } from '../../src/replication/read-path.js'
import { toWire } from '../../src/replication/record-codec.js'
import { createReplicationMetrics } from '../../src/replication/replication-metrics.js'
import { ManualClock } from '../../src/shared/clock.js'
import type { RecordStore } from '../../src/store/types.js'
import { repramProtocols } from '../../src/wire/repram-protocols.js'
import type { WireEngine } from '../../src/wire/wire-engine.js'
import { rec as record } from '../helpers/records.js'

const LIMITS = { maxKeyBytes: 64, maxValueBytes: 1_024, maxTtlSeconds: 3_600 }

/** Three remote replicas (closest first); `held` says which of them hold the record. */
function setup(held: string[], peers: Array<{ peerId: string; self: boolean }> = ['a', 'b', 'c'].map((peerId) => ({ peerId, self: false })), voters?: Voters) {
  const clock = new ManualClock()
  const now = clock.now()
  const rec = record('k', now + 60_000, new Uint8Array([1, 2, 3]), { hlc: 1_000_000, node: 7 })
  const replicas: Replica[] = peers
  const asked: string[] = []
  const repaired: string[] = []
  const wire = {
    request: async (peer: string) => {
      asked.push(peer)
      return held.includes(peer) ? { status: FetchStatus.FETCH_FOUND, record: toWire(rec, clock.now()) } : { status: FetchStatus.FETCH_NOT_FOUND }
    },
  } as unknown as WireEngine
  const placement = { selfId: 'self', replicasFor: () => replicas, votersFor: () => voters } as unknown as Placement
  const pusher = {
    push: async (peer: string) => {
      repaired.push(peer)
      return { peer, status: 'stored' }
    },
  } as unknown as Pusher
  const store = { get: () => undefined } as unknown as RecordStore
  const reads = new ReadPath(
    {
      clock,
      store,
      placement,
      wire,
      protocols: repramProtocols({ ...LIMITS, directoryPageEntries: 100 }),
      pusher,
      metrics: createReplicationMetrics(undefined, { peers: () => 3, directory: () => 0, pending: () => 0 }),
    },
    // No hedging in these tests: replicas are asked one after another unless the quorum says otherwise.
    { enclave: 'default', limits: LIMITS, hedgeDelayMs: 60_000 },
  )
  return { reads, asked, repaired }
}

describe('read path (no network)', () => {
  it('stops at R − W + 1 answers when they found the key', async () => {
    const { reads, asked } = setup(['a', 'b', 'c'])
    expect((await reads.read('k', {}))?.value).toEqual(new Uint8Array([1, 2, 3]))
    expect(asked).toEqual(['a', 'b'])
  })

  it('asks the last replica before a 404 when a quorum of replicas missed (views differ around churn)', async () => {
    // Acknowledged under another node's view by c and a replica this reader does not know of.
    const { reads, asked, repaired } = setup(['c'])
    expect((await reads.read('k', {}))?.value).toEqual(new Uint8Array([1, 2, 3]))
    expect(asked).toEqual(['a', 'b', 'c'])
    // The replicas that missed it are repaired.
    await new Promise((r) => setImmediate(r))
    expect(repaired.sort()).toEqual(['a', 'b'])
  })

  it('with two replicas, asks the other one at once when its own store misses (no wait for the hedge)', async () => {
    // R' = 2: W = 2, so one answer makes the count; our own miss must not stand for the read.
    const { reads, asked } = setup(
      ['a'],
      [
        { peerId: 'self', self: true },
        { peerId: 'a', self: false },
      ],
    )
    // The hedge delay is a minute in these tests: a read that waited for it would time out here.
    expect((await reads.read('k', {}))?.value).toEqual(new Uint8Array([1, 2, 3]))
    expect(asked).toEqual(['a'])
  })

  it('answers a miss once every replica said so', async () => {
    const { reads, asked } = setup([])
    expect(await reads.read('k', {})).toBeUndefined()
    expect(asked).toEqual(['a', 'b', 'c'])
  })
})

describe('read path after a recent loss (a death or a partition)', () => {
  it('answers 503, not 404, when too few voters could answer a miss', async () => {
    // Voters: a and two lost members; V − W + 1 = 2 votes are needed and only a can give one.
    const { reads, asked } = setup([], undefined, { reachable: new Set(['a']), count: 3 })
    await expect(reads.read('k', {})).rejects.toMatchObject({ name: 'UnavailableError' })
    expect(asked.sort()).toEqual(['a', 'b', 'c'])
  })

  it('still serves a hit from the replicas it can reach', async () => {
    const { reads } = setup(['b'], undefined, { reachable: new Set(['a']), count: 3 })
    expect((await reads.read('k', {}))?.value).toEqual(new Uint8Array([1, 2, 3]))
  })

  it('answers 404 when enough voters answered the miss', async () => {
    const { reads } = setup([], undefined, { reachable: new Set(['a', 'b']), count: 3 })
    expect(await reads.read('k', {})).toBeUndefined()
  })

  it('does not count a non-voter towards the read count', async () => {
    // a and b are replicas now but only c is a reachable voter (with one lost): the read must hear c.
    const { reads, asked } = setup(['c'], undefined, { reachable: new Set(['c']), count: 2 })
    expect((await reads.read('k', {}))?.value).toEqual(new Uint8Array([1, 2, 3]))
    expect(asked).toContain('c')
  })
})
