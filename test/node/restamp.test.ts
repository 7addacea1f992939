/**
 * The facade writes again past a newer version a replica named (bounded), and refuses with
 * ClockSkewError when that version is beyond the skew tolerance (no version it can issue would win).
 */
import { describe, expect, it } from 'vitest'
import type { Replicator, WriteOutcome } from '../../src/node/replicator.js'
import { MAX_RESTAMPS, RepramNode } from '../../src/node/repram-node.js'
import { ManualClock } from '../../src/shared/clock.js'
import { makeConfig } from '../../src/shared/config.js'
import { ClockSkewError } from '../../src/shared/errors.js'
import { HybridLogicalClock } from '../../src/shared/hlc.js'
import { silentLogger } from '../../src/shared/logger.js'
import { compareVersions, HLC_COUNTER_BITS, HLC_EPOCH_MS, MAX_FUTURE_SKEW_MS, type Version } from '../../src/shared/version.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { StoredRecord } from '../../src/store/record.js'

const at = (wallMs: number): number => (wallMs - HLC_EPOCH_MS) * 2 ** HLC_COUNTER_BITS

/** A replicator whose replicas hold `held` until a write outranks it. */
function fakeReplicator(held: () => Version | undefined, written: StoredRecord[]): Replicator {
  return {
    start: async () => {},
    stop: async () => {},
    write: async (rec: StoredRecord): Promise<WriteOutcome> => {
      written.push(rec)
      const h = held()
      if (h && compareVersions(h, rec.version) >= 0) return { replicas: 3, confirmed: 0, quorum: 2, superseded: h }
      return { replicas: 3, confirmed: 3, quorum: 2 }
    },
    read: async () => undefined,
    readMeta: async () => undefined,
    list: () => ({ keys: [], more: false }),
    identity: () => ({ peerId: 'fake', multiaddrs: [] }),
    peers: () => [],
    healthy: () => true,
  }
}

async function node(held: () => Version | undefined, written: StoredRecord[]) {
  const clock = new ManualClock()
  const store = new MemoryStore({ clock })
  const n = new RepramNode(
    { clock, logger: silentLogger, store, replicator: fakeReplicator(held, written), hlc: new HybridLogicalClock({ clock }) },
    makeConfig({ standalone: true }),
  )
  await n.start()
  return { n, clock }
}

describe('put past a newer version', () => {
  it('writes once more under a version newer than the one a replica holds, and confirms', async () => {
    const written: StoredRecord[] = []
    let held: Version | undefined
    const { n, clock } = await node(() => held, written)
    held = { hlc: at(clock.now() + 30_000), node: 5 }
    const r = await n.put('k', new Uint8Array([1]), { ttlSeconds: 600 })
    expect(r.confirmed).toBe(true)
    expect(written).toHaveLength(2)
    expect(compareVersions(written[1].version, held)).toBeGreaterThan(0)
    await n.stop()
  })

  it('gives up after MAX_RESTAMPS attempts against ever newer versions (202, not 201)', async () => {
    const written: StoredRecord[] = []
    let bump = 0
    const { n, clock } = await node(() => ({ hlc: at(clock.now() + 1_000) + 100 * ++bump, node: 5 }), written)
    const r = await n.put('k', new Uint8Array([1]), { ttlSeconds: 600 })
    expect(r.confirmed).toBe(false)
    expect(written).toHaveLength(1 + MAX_RESTAMPS)
    await n.stop()
  })

  it('refuses with ClockSkewError when the newer version is beyond the skew tolerance', async () => {
    const written: StoredRecord[] = []
    let held: Version | undefined
    const { n, clock } = await node(() => held, written)
    held = { hlc: at(clock.now() + MAX_FUTURE_SKEW_MS + 5_000), node: 5 }
    await expect(n.put('k', new Uint8Array([1]), { ttlSeconds: 600 })).rejects.toBeInstanceOf(ClockSkewError)
    expect(written).toHaveLength(1)
    await n.stop()
  })
})
