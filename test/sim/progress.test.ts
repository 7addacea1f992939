import { describe, expect, it } from 'vitest'
import { formatProgress, Progress } from '../../scripts/sim/progress.js'
import { OpStats, percentile } from '../../scripts/sim/stats.js'

const snap = { elapsedS: 12.4, durationS: 60, ops: 1234, errors: 2, violations: 1, live: 50, inFlight: 7 }

describe('progress line', () => {
  it('shows elapsed, ops/s, errors, violations and nodes', () => {
    expect(formatProgress(snap, 98.76)).toBe('[  12s/60s  21%]    98.8 ops/s | ops 1234 | errors 2 | violations 1 | nodes 50 | in flight 7')
  })

  it('rewrites one line on a terminal and prints plain lines otherwise', () => {
    const tty: string[] = []
    const p = new Progress({ read: () => snap, write: (t) => tty.push(t) }, { tty: true })
    p.note('churn #0 kill node-3')
    expect(tty).toEqual(['churn #0 kill node-3\n'])
    const plain: string[] = []
    new Progress({ read: () => snap, write: (t) => plain.push(t) }, { tty: false }).note('x')
    expect(plain).toEqual(['x\n'])
  })
})

describe('op statistics', () => {
  it('computes nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(v, 50)).toBe(50)
    expect(percentile(v, 99)).toBe(99)
    expect(percentile([], 50)).toBeUndefined()
  })

  it('keeps totals per op and per pattern.op, and per-second buckets', () => {
    const s = new OpStats()
    s.record('put', 'handoff', 10, true, 100)
    s.record('put', 'lock', 30, false, 1500)
    s.record('get', 'lock', 5, true, 1600)
    const sum = s.summary()
    expect(sum.put).toMatchObject({ count: 2, errors: 1, p50Ms: 10, p99Ms: 30 })
    expect(sum['lock.put']).toMatchObject({ count: 1, errors: 1 })
    const ts = s.timeSeries()
    expect(ts.map((b) => [b.t, b.ops, b.errors])).toEqual([
      [0, 1, 0],
      [1, 2, 1],
    ])
    expect(ts[1].byOp.get.count).toBe(1)
  })
})
