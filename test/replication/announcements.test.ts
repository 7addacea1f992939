import { describe, expect, it } from 'vitest'
import { Announcements } from '../../src/replication/announcements.js'
import { Directory } from '../../src/replication/directory.js'
import { ManualClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import { HLC_COUNTER_BITS, HLC_EPOCH_MS } from '../../src/shared/version.js'

const LIMITS = { maxKeyBytes: 64, maxValueBytes: 1_024, maxTtlSeconds: 3_600 }
const hlcAt = (wallMs: number): bigint => BigInt((wallMs - HLC_EPOCH_MS) * 2 ** HLC_COUNTER_BITS)

function setup() {
  const clock = new ManualClock()
  const directory = new Directory()
  const a = new Announcements({ clock, logger: silentLogger, directory }, { enclave: 'default', limits: LIMITS })
  const listed = (key: string) => directory.list({ limit: 10 }, clock.now()).keys.includes(key)
  return { clock, directory, a, listed }
}

describe('announcements and the directory: an expired key is never listed', () => {
  it("clamps a received entry to its writer's expiry (version wall time + TTL), however late it arrives", () => {
    const { clock, a, listed } = setup()
    // A heartbeat written 1 s ago with TTL 3 s; its remaining lifetime was computed 900 ms before publish.
    const wall = clock.now() - 1_000
    const entry = { key: 'hb', hlc: hlcAt(wall), node: 1, remainingMs: 2_900n, size: 3, ttlSeconds: 3 }
    expect(a.apply('peer', 'default', [entry], true)).toBe('accept')
    clock.advance(1_999)
    expect(listed('hb')).toBe(true)
    // The writer's deadline (wall + 3 s) has passed: not listed, not even with transit slack.
    clock.advance(1)
    expect(listed('hb')).toBe(false)
  })

  it('publishes the remaining lifetime as of the flush, not as of the write', async () => {
    const { clock, a } = setup()
    const published: Uint8Array[] = []
    a.start({ subscribe() {}, unsubscribe() {}, publish: async (_t, d) => void published.push(d) })
    const now = clock.now()
    a.announce({ key: 'k', version: { hlc: Number(hlcAt(now)), node: 1 }, createdAt: now, ttlSeconds: 10, expiresAt: now + 10_000, size: 1 })
    clock.advance(4) // the batch window passes on the node's clock before the flush
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (published.length > 0) {
          clearInterval(t)
          resolve()
        }
      }, 1)
    })
    a.stop()
    const { Announcement } = await import('../../protocols/messages.js')
    expect(Number(Announcement.decode(published[0]).entries[0].remainingMs)).toBe(9_996)
  })
})
