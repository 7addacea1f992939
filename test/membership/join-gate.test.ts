/**
 * The join gate: reads and writes of a node told of peers wait until it has joined (ready), or until
 * the grace period is over (then it serves with the membership seen so far, said once in the log).
 * Its re-check interval and wait timeouts run on vitest's fake timers and its deadline on an injected
 * now(), so nothing here waits for wall time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { JOIN_CHECK_MS, JoinGate } from '../../src/membership/join-gate.js'
import type { Logger } from '../../src/shared/logger.js'

const GRACE_MS = 1_000

function setup() {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = []
  const logger: Logger = {
    debug: (msg, fields) => lines.push({ level: 'debug', msg, fields }),
    info: (msg, fields) => lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => lines.push({ level: 'warn', msg, fields }),
    error: (msg, fields) => lines.push({ level: 'error', msg, fields }),
    child: () => logger,
  }
  const gate = new JoinGate({ logger })
  let ready = false
  let now = 0
  const watch = (): void =>
    gate.watch(() => ready, {
      graceMs: GRACE_MS,
      now: () => now,
      describe: () => ({ members: 0 }),
    })
  return {
    gate,
    watch,
    warnings: () => lines.filter((l) => l.level === 'warn'),
    setReady: (v: boolean) => {
      ready = v
    },
    setNow: (ms: number) => {
      now = ms
    },
  }
}

describe('JoinGate', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('opens at the first check after the join condition holds, and stops checking', async () => {
    const { gate, watch, setReady, warnings } = setup()
    watch()
    expect(gate.joined).toBe(false)
    vi.advanceTimersByTime(JOIN_CHECK_MS * 3)
    expect(gate.joined).toBe(false)
    setReady(true)
    vi.advanceTimersByTime(JOIN_CHECK_MS)
    expect(gate.joined).toBe(true)
    expect(await gate.wait(0)).toBe(true)
    expect(warnings()).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('opens at once when the condition already holds as it starts watching', () => {
    const { gate, watch, setReady } = setup()
    setReady(true)
    watch()
    expect(gate.joined).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('opens once the grace period is over though not joined, with one warning', () => {
    const { gate, watch, setNow, warnings } = setup()
    watch()
    setNow(GRACE_MS - 1)
    vi.advanceTimersByTime(JOIN_CHECK_MS)
    expect(gate.joined).toBe(false)
    setNow(GRACE_MS)
    vi.advanceTimersByTime(JOIN_CHECK_MS)
    expect(gate.joined).toBe(true)
    expect(warnings()).toHaveLength(1)
    expect(warnings()[0].fields).toEqual({ members: 0 })
    vi.advanceTimersByTime(JOIN_CHECK_MS * 10)
    expect(warnings()).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('openNow opens it without a condition (no peers configured), stops a watch and is idempotent', async () => {
    const { gate, watch } = setup()
    watch()
    expect(vi.getTimerCount()).toBe(1)
    gate.openNow()
    gate.openNow()
    expect(gate.joined).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    expect(await gate.wait(1_000)).toBe(true)
    // A watch on an open gate is a no-op.
    watch()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('wait resolves true when the gate opens before the timeout, and clears its timer', async () => {
    const { gate } = setup()
    const waiting = gate.wait(5_000)
    gate.openNow()
    expect(await waiting).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('wait resolves false at the timeout while the gate stays shut', async () => {
    const { gate } = setup()
    const waiting = gate.wait(5_000)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(await waiting).toBe(false)
    expect(gate.joined).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('wait resolves false as soon as its signal aborts, and clears its timer', async () => {
    const { gate } = setup()
    const ac = new AbortController()
    const waiting = gate.wait(60_000, ac.signal)
    ac.abort()
    expect(await waiting).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
    // Opening later is unaffected.
    gate.openNow()
    expect(await gate.wait(0, ac.signal)).toBe(true)
  })

  it('stop clears the check timer: the gate no longer opens by itself', () => {
    const { gate, watch, setReady, setNow } = setup()
    watch()
    expect(vi.getTimerCount()).toBe(1)
    gate.stop()
    expect(vi.getTimerCount()).toBe(0)
    setReady(true)
    setNow(GRACE_MS * 10)
    vi.advanceTimersByTime(GRACE_MS * 10)
    expect(gate.joined).toBe(false)
    gate.stop() // idempotent
  })
})

describe('JoinGate.wait with an already aborted signal', () => {
  it('returns false at once instead of waiting the whole timeout', async () => {
    const { gate } = setup()
    // Real timers here: with the fix the promise settles without any timer at all.
    const result = await Promise.race([gate.wait(60_000, AbortSignal.abort()), new Promise<'pending'>((r) => setImmediate(() => r('pending')))])
    expect(result).toBe(false)
  })
})
