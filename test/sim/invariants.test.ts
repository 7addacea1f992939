import { describe, expect, it } from 'vitest'
import type { GetAnswer } from '../../scripts/sim/client.js'
import { InvariantChecker } from '../../scripts/sim/invariants.js'
import { Ledger, type WriteEntry } from '../../scripts/sim/ledger.js'
import { digest, makeValue } from '../../scripts/sim/payload.js'
import { createRng } from '../../scripts/sim/prng.js'
import { ViolationLog } from '../../scripts/sim/violations.js'
import { HLC_EPOCH_MS } from '../../src/shared/version.js'

const RUN = 'sim-test'
const T0 = 1_800_000_000_000
const etagAt = (ms: number, node = 1): string => `"${((ms - HLC_EPOCH_MS) * 4096).toString(16)}-${node.toString(16).padStart(8, '0')}"`

function setup(tol = 100) {
  const ledger = new Ledger()
  const violations = new ViolationLog()
  const checker = new InvariantChecker({ ledger, violations, origin: () => T0 }, { runId: RUN, expiryToleranceMs: tol })
  const rng = createRng('inv')
  /** A write of `key` issued at `at`, answered `status` after 5 ms, TTL `ttlS`. */
  const write = (key: string, at: number, ttlS: number, status = 201): { entry: WriteEntry; value: Uint8Array } => {
    const id = ledger.reserveId()
    const value = makeValue(RUN, id, 'p', 16, rng)
    const entry = ledger.record({ id, key, node: 'node-0', pattern: 't', ttlMs: ttlS * 1000, digest: digest(value), size: value.byteLength, issuedAt: at })
    ledger.finish(entry, { status, etag: etagAt(at + 2), expiresAt: at + 2 + ttlS * 1000 }, at + 5)
    return { entry, value }
  }
  const read = (key: string, startedAt: number, answer: GetAnswer, endedAt = startedAt + 3) =>
    checker.checkRead({ key, node: 'node-1', startedAt, endedAt, answer })
  const hit = (w: { entry: WriteEntry; value: Uint8Array }): GetAnswer => ({ status: 200, value: w.value, etag: w.entry.etag })
  return { ledger, violations, write, read, hit }
}

describe('InvariantChecker', () => {
  it('accepts the acknowledged version, a newer one, and a 404 for a key never acknowledged', () => {
    const s = setup()
    const a = s.write('k', T0, 10)
    const b = s.write('k', T0 + 100, 10)
    expect(s.read('k', T0 + 50, s.hit(a))).toBe('ok')
    expect(s.read('k', T0 + 50, s.hit(b))).toBe('ok')
    expect(s.read('other', T0 + 50, { status: 404 })).toBe('ok')
    expect(s.violations.total).toBe(0)
  })

  it('does not owe a write to a read that started before its 201 (the in-flight window)', () => {
    const s = setup()
    s.write('k', T0, 10)
    expect(s.read('k', T0 + 4, { status: 404 })).toBe('ok')
    expect(s.read('k', T0 + 6, { status: 404 })).toBe('violation')
    expect(s.violations.counts.missing).toBe(1)
    expect(s.violations.kept[0].detail).toMatchObject({ required: { writeId: 1, node: 'node-0' } })
  })

  it('flags an older version returned after a newer one was acknowledged', () => {
    const s = setup()
    const a = s.write('k', T0, 10)
    s.write('k', T0 + 100, 10)
    expect(s.read('k', T0 + 200, s.hit(a))).toBe('violation')
    expect(s.violations.counts.stale).toBe(1)
  })

  it('flags a value returned by a read that started after its expiry plus the tolerance', () => {
    const s = setup(100)
    const a = s.write('k', T0, 1)
    // expires at T0 + 1002
    expect(s.read('k', T0 + 1050, s.hit(a))).toBe('ok')
    expect(s.read('k', T0 + 1150, s.hit(a))).toBe('violation')
    expect(s.violations.counts.expired_read).toBe(1)
  })

  it('does not owe a write that expires before the read ends', () => {
    const s = setup(0)
    s.write('k', T0, 1)
    expect(s.read('k', T0 + 900, { status: 404 }, T0 + 1010)).toBe('ok')
    expect(s.read('k', T0 + 900, { status: 404 }, T0 + 950)).toBe('violation')
  })

  it('counts an error from a live node as unreadable only when a value was owed', () => {
    const s = setup()
    s.write('k', T0, 10)
    expect(s.read('k', T0 + 10, { status: 503, error: 'UnavailableError' })).toBe('violation')
    expect(s.read('nothing', T0 + 10, { status: 503 })).toBe('error')
    expect(s.violations.counts.unreadable).toBe(1)
  })

  it('ignores 202 and failed writes when deciding what is owed, but accepts their values', () => {
    const s = setup()
    const pending = s.write('k', T0, 10, 202)
    s.write('j', T0, 10, 500)
    expect(s.read('k', T0 + 10, { status: 404 })).toBe('ok')
    expect(s.read('j', T0 + 10, { status: 404 })).toBe('ok')
    expect(s.read('k', T0 + 10, s.hit(pending))).toBe('ok')
  })

  it('flags bytes that differ from the write, values of another key, and foreign values', () => {
    const s = setup()
    const a = s.write('k', T0, 10)
    const tampered = new Uint8Array(a.value)
    tampered[tampered.length - 1] ^= 1
    expect(s.read('k', T0 + 10, { status: 200, value: tampered })).toBe('violation')
    expect(s.read('other', T0 + 10, s.hit(a))).toBe('violation')
    expect(s.read('k', T0 + 10, { status: 200, value: new TextEncoder().encode('hello') })).toBe('violation')
    expect(s.violations.counts.corrupt).toBe(3)
  })

  it('orders by version, not by answer time: a later-answered lower version is not owed over a higher one', () => {
    const s = setup()
    const hi = s.write('k', T0 + 50, 10)
    // answered after `hi` but stamped earlier (a slower write): the required version is still `hi`
    const id = s.ledger.reserveId()
    const lo = s.ledger.record({ id, key: 'k', node: 'node-2', pattern: 't', ttlMs: 10_000, digest: 'x', size: 1, issuedAt: T0 })
    s.ledger.finish(lo, { status: 201, etag: etagAt(T0 + 1), expiresAt: T0 + 10_001 }, T0 + 80)
    expect(s.ledger.required('k', T0 + 100)?.id).toBe(hi.entry.id)
    expect(s.read('k', T0 + 100, s.hit(hi))).toBe('ok')
  })
})
